import { describe, expect, it } from "vitest";
import { ClvError } from "./clv-error";
import type { Transaction } from "./purchase-days";
import { summarizeTransactions } from "./summarize-transactions";

const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

const transactions: Transaction[] = [
  { customerId: "a", date: day("2024-01-01"), amount: 10 },
  { customerId: "a", date: day("2024-01-15"), amount: 20 },
  { customerId: "a", date: day("2024-01-15"), amount: 5 }, // same day: merged, 25
  { customerId: "a", date: day("2024-01-29"), amount: 30 },
  { customerId: "a", date: day("2024-03-01"), amount: 99 }, // after calibration: ignored
  { customerId: "b", date: day("2024-01-22"), amount: 7 },
  { customerId: "c", date: day("2024-02-20"), amount: 1 }, // first purchase after calibration
];
const options = { calibrationEnd: day("2024-02-12"), timeUnit: "week" as const };

describe("summarizeTransactions", () => {
  it("computes x, t_x, T and mean repeat spend, merging same-day purchases", () => {
    const summaries = summarizeTransactions(transactions, options);
    expect(summaries).toEqual([
      { customerId: "a", frequency: 2, recency: 4, T: 6, monetary: 27.5 },
      { customerId: "b", frequency: 0, recency: 0, T: 3, monetary: 0 },
    ]);
  });

  it("expresses times in days or months on request, and accepts day numbers", () => {
    const byDay = summarizeTransactions(transactions, { ...options, timeUnit: "day" });
    expect(byDay[0]).toMatchObject({ recency: 28, T: 42 });
    const byMonth = summarizeTransactions(transactions, { ...options, timeUnit: "month" });
    expect(byMonth[0]!.T).toBeCloseTo(42 / 30.4375, 12);
    const asNumbers = transactions.map((t) => ({
      ...t,
      date: (t.date as Date).getTime() / 86_400_000,
    }));
    expect(
      summarizeTransactions(asNumbers, {
        ...options,
        calibrationEnd: day("2024-02-12").getTime() / 86_400_000,
      }),
    ).toEqual(summarizeTransactions(transactions, options));
  });

  it("counts a purchase on the calibration end day in calibration and ignores input order", () => {
    const shuffled: Transaction[] = [
      { customerId: "z", date: day("2024-02-12"), amount: 4 },
      { customerId: "z", date: day("2024-02-05"), amount: 2 },
    ];
    expect(summarizeTransactions(shuffled, options)).toEqual([
      { customerId: "z", frequency: 1, recency: 1, T: 1, monetary: 4 },
    ]);
  });

  it("does not mutate its input", () => {
    const copy = transactions.map((t) => ({ ...t, date: new Date((t.date as Date).getTime()) }));
    summarizeTransactions(transactions, options);
    expect(transactions).toEqual(copy);
  });

  it.each<[string, Transaction[], object, string, RegExp]>([
    ["empty input", [], {}, "EMPTY_INPUT", /no transactions/],
    [
      "a negative amount",
      [{ customerId: "x", date: day("2024-01-01"), amount: -5 }],
      {},
      "NEGATIVE_AMOUNT",
      /transaction 0 \(customer x\): amount is negative/,
    ],
    [
      "a NaN amount",
      [{ customerId: "x", date: day("2024-01-01"), amount: Number.NaN }],
      {},
      "INVALID_NUMBER",
      /amount is not a number/,
    ],
    [
      "text as amount",
      [{ customerId: "x", date: day("2024-01-01"), amount: "12" as unknown as number }],
      {},
      "INVALID_NUMBER",
      /amount is not a number/,
    ],
    [
      "an invalid date",
      [{ customerId: "x", date: new Date("nope"), amount: 1 }],
      {},
      "INVALID_DATE",
      /transaction 0 \(customer x\): date is not a valid date/,
    ],
    [
      "an empty customer id",
      [{ customerId: " ", date: day("2024-01-01"), amount: 1 }],
      {},
      "INVALID_CUSTOMER_ID",
      /customer id is empty/,
    ],
    [
      "a purchase after now",
      [{ customerId: "x", date: day("2024-03-01"), amount: 1 }],
      { now: day("2024-02-20") },
      "FUTURE_DATE",
      /2024-03-01 is after today \(2024-02-20\)/,
    ],
    [
      "a calibration end after now",
      [{ customerId: "x", date: day("2024-01-01"), amount: 1 }],
      { now: day("2024-02-01") },
      "FUTURE_DATE",
      /calibration end 2024-02-12 is after today/,
    ],
    [
      "a calibration end before the first purchase",
      [{ customerId: "x", date: day("2024-05-01"), amount: 1 }],
      {},
      "CALIBRATION_BEFORE_FIRST_PURCHASE",
      /before the first purchase \(2024-05-01\)/,
    ],
  ])("rejects %s with a coded error", (_, input, extra, code, message) => {
    expect(() => summarizeTransactions(input, { ...options, ...extra })).toThrow(message);
    expect(() => summarizeTransactions(input, { ...options, ...extra })).toThrow(
      expect.objectContaining({ code }),
    );
    expect(() => summarizeTransactions(input, { ...options, ...extra })).toThrow(ClvError);
  });
});
