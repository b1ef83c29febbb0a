import { describe, expect, it } from "vitest";
import { toSummaryColumns } from "./customer-summary";
import { weightSummaries } from "./weighted-summaries";

describe("toSummaryColumns", () => {
  it("converts rows to columns, with monetary only when every row has it", () => {
    const columns = toSummaryColumns([
      { customerId: "a", frequency: 2, recency: 3.5, T: 10, monetary: 12.5 },
      { customerId: "b", frequency: 0, recency: 0, T: 4, monetary: 0 },
    ]);
    expect(Array.from(columns.frequency)).toEqual([2, 0]);
    expect(Array.from(columns.monetary!)).toEqual([12.5, 0]);
    expect(
      toSummaryColumns([{ customerId: "a", frequency: 0, recency: 0, T: 1 }]).monetary,
    ).toBeUndefined();
  });

  it.each([
    [
      { frequency: Number.NaN, recency: 0, T: 1 },
      "INVALID_NUMBER",
      /customer z \(row 0\): frequency is not a number/,
    ],
    [
      { frequency: "3" as unknown as number, recency: 0, T: 1 },
      "INVALID_NUMBER",
      /frequency is not a number \(got "3"\)/,
    ],
    [{ frequency: 1.5, recency: 0, T: 1 }, "INVALID_SUMMARY", /frequency must be a whole number/],
    [{ frequency: 1, recency: 2, T: 1 }, "INVALID_SUMMARY", /recency must lie between 0 and T = 1/],
    [
      { frequency: 0, recency: 0.5, T: 1 },
      "INVALID_SUMMARY",
      /recency must be 0 when frequency is 0/,
    ],
    [{ frequency: 1, recency: 0.5, T: 1, monetary: -3 }, "INVALID_SUMMARY", /monetary must be ≥ 0/],
  ])("rejects %o", (row, code, message) => {
    expect(() => toSummaryColumns([{ customerId: "z", ...row }])).toThrow(message);
    expect(() => toSummaryColumns([{ customerId: "z", ...row }])).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it("rejects empty input and a partly missing monetary column", () => {
    expect(() => toSummaryColumns([])).toThrow(expect.objectContaining({ code: "EMPTY_INPUT" }));
    expect(() =>
      toSummaryColumns([
        { customerId: "a", frequency: 0, recency: 0, T: 1, monetary: 0 },
        { customerId: "b", frequency: 0, recency: 0, T: 1 },
      ]),
    ).toThrow(/customer b \(row 1\) has no monetary value/);
  });
});

describe("weightSummaries", () => {
  it("groups exactly equal (x, t_x, T) and maps every customer to its row", () => {
    const columns = {
      frequency: Float64Array.of(1, 0, 1, 1, 0),
      recency: Float64Array.of(2, 0, 2, 2.0000001, -0),
      T: Float64Array.of(5, 5, 5, 5, 5),
    };
    const w = weightSummaries(columns);
    expect(Array.from(w.weight)).toEqual([2, 2, 1]);
    expect(Array.from(w.rowOfCustomer)).toEqual([0, 1, 0, 2, 1]);
    expect(w.customers).toBe(5);
    expect(Array.from(w.recency)).toEqual([2, 0, 2.0000001]);
  });
});
