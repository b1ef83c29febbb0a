import { describe, expect, it } from "vitest";
import { summarizeTransactions } from "../clv";
import { summaryFromAggregate } from "./summary-from-aggregate";
import { aggregateTransactions, syntheticTransactions } from "./test-transactions";

describe("summaryFromAggregate", () => {
  it("computes x, t_x, T and the mean repeat spend of a hand-made customer", () => {
    // Purchases on days 100 (10.00 + 5.00), 107 (20.00) and 121 (30.00); end day 128.
    const aggregate = {
      purchaseDays: 3,
      firstDay: 100,
      lastDay: 121,
      amountMinor: 6500,
      firstDayAmountMinor: 1500,
    };
    expect(summaryFromAggregate(aggregate, 128, "week", 2)).toEqual({
      frequency: 2,
      recency: 3,
      T: 4,
      monetary: 25,
    });
    expect(summaryFromAggregate(aggregate, 128, "day", 2)).toEqual({
      frequency: 2,
      recency: 21,
      T: 28,
      monetary: 25,
    });
  });

  it("gives a one-day customer x = 0, t_x = 0 and no repeat spend", () => {
    const one = {
      purchaseDays: 1,
      firstDay: 10,
      lastDay: 10,
      amountMinor: 999,
      firstDayAmountMinor: 999,
    };
    expect(summaryFromAggregate(one, 24, "week", 2)).toEqual({
      frequency: 0,
      recency: 0,
      T: 2,
      monetary: 0,
    });
  });

  it("uses the currency's decimals for the spend (JPY has none)", () => {
    const yen = {
      purchaseDays: 2,
      firstDay: 0,
      lastDay: 7,
      amountMinor: 3000,
      firstDayAmountMinor: 1000,
    };
    expect(summaryFromAggregate(yen, 7, "week", 0).monetary).toBe(2000);
  });

  it("agrees with summarizeTransactions on the same purchases", () => {
    const transactions = syntheticTransactions(300);
    const end = 19900;
    const expected = summarizeTransactions(transactions, { calibrationEnd: end, timeUnit: "week" });
    const aggregates = aggregateTransactions(transactions, end);
    expect(aggregates.size).toBe(expected.length);
    for (const s of expected) {
      const got = summaryFromAggregate(aggregates.get(s.customerId)!, end, "week", 2);
      expect(got.frequency).toBe(s.frequency);
      expect(got.recency).toBe(s.recency);
      expect(got.T).toBe(s.T);
      expect(got.monetary).toBeCloseTo(s.monetary!, 9);
    }
  });

  it("refuses an aggregate the SQL cannot have produced", () => {
    const base = {
      purchaseDays: 2,
      firstDay: 5,
      lastDay: 9,
      amountMinor: 1,
      firstDayAmountMinor: 1,
    };
    expect(() => summaryFromAggregate({ ...base, purchaseDays: 0 }, 10, "day", 2)).toThrow(
      RangeError,
    );
    expect(() => summaryFromAggregate({ ...base, lastDay: 4 }, 10, "day", 2)).toThrow(RangeError);
    expect(() => summaryFromAggregate(base, 8, "day", 2)).toThrow(RangeError);
    expect(() => summaryFromAggregate({ ...base, purchaseDays: 1 }, 10, "day", 2)).toThrow(
      RangeError,
    );
  });
});
