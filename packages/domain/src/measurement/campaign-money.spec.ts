import { describe, expect, it } from "vitest";
import { UnknownCurrencyError } from "../money";
import { campaignCost } from "./campaign-cost";
import { incrementalValue } from "./incremental-value";
import { MeasurementError } from "./measurement-error";
import { returnOnSpend } from "./return-on-spend";

describe("campaignCost", () => {
  it("adds points at their cost per point and coupons at face value, exactly", () => {
    const cost = campaignCost({
      pointsAwarded: 12345,
      costPerPointMinor: "0.5",
      coupons: [
        { faceValueMinor: 500, count: 3 },
        { faceValueMinor: 1000, count: 1 },
      ],
      currency: "USD",
    });
    expect(cost).toEqual({
      points: "61.725",
      coupons: "25.00",
      other: "0.00",
      total: "86.725",
      totalMinor: 8672.5,
      totalMinorExact: "8672.5",
      currency: "USD",
    });
  });

  it("stays exact past 2^53 minor units and in a currency without decimals", () => {
    const big = campaignCost({
      pointsAwarded: 2n ** 60n,
      costPerPointMinor: "0.001",
      currency: "USD",
    });
    expect(big.points).toBe("11529215046068.46976");
    expect(campaignCost({ pointsAwarded: 10, costPerPointMinor: "3", currency: "JPY" }).total).toBe(
      "30",
    );
  });

  it("is zero for a campaign that gave nothing away", () => {
    const cost = campaignCost({ pointsAwarded: 0, costPerPointMinor: "1", currency: "EUR" });
    expect(cost.total).toBe("0.00");
    expect(cost.totalMinor).toBe(0);
  });

  it("refuses negative or fractional amounts, a bad cost per point and unknown currencies", () => {
    const base = { pointsAwarded: 10, costPerPointMinor: "1", currency: "USD" };
    expect(() => campaignCost({ ...base, pointsAwarded: -1 })).toThrow(
      /pointsAwarded must not be negative/,
    );
    expect(() => campaignCost({ ...base, pointsAwarded: 1.5 })).toThrow(MeasurementError);
    expect(() => campaignCost({ ...base, costPerPointMinor: "-1" })).toThrow(/costPerPointMinor/);
    expect(() => campaignCost({ ...base, costPerPointMinor: "1e3" })).toThrow(/costPerPointMinor/);
    expect(() => campaignCost({ ...base, coupons: [{ faceValueMinor: 100, count: 0.5 }] })).toThrow(
      /coupons\[0\]\.count/,
    );
    expect(() => campaignCost({ ...base, currency: "ZZZ" })).toThrow(UnknownCurrencyError);
  });
});

describe("incrementalValue", () => {
  it("scales the per-customer difference by the treated customers and rounds half to even", () => {
    const v = incrementalValue(
      { estimate: 123.4, ci: [20, 226.8], sequentialCi: [-5, 250] },
      1000,
      "USD",
    );
    expect(v).toEqual({
      estimate: "1234.00",
      ci: ["200.00", "2268.00"],
      estimateMinor: 123400,
      ciMinor: [20000, 226800],
      sequentialCi: ["-50.00", "2500.00"],
      sequentialCiMinor: [-5000, 250000],
      currency: "USD",
    });
    expect(incrementalValue({ estimate: 0.25, ci: null }, 10, "USD").estimateMinor).toBe(2);
    expect(incrementalValue({ estimate: 0.35, ci: null }, 10, "USD").estimateMinor).toBe(4);
    expect(incrementalValue({ estimate: 1, ci: null }, 0, "USD").ci).toBeNull();
  });

  it("refuses a fractional customer count", () => {
    expect(() => incrementalValue({ estimate: 1, ci: null }, 2.5, "USD")).toThrow(
      /treatedCustomers/,
    );
  });
});

describe("returnOnSpend", () => {
  const cost = campaignCost({ pointsAwarded: 10_000, costPerPointMinor: "1", currency: "USD" });
  const margin = (estimate: number, lo: number, hi: number, seq?: [number, number]) =>
    incrementalValue({ estimate, ci: [lo, hi], sequentialCi: seq ?? null }, 100, "USD");

  it("divides incremental margin by cost and says whether the campaign paid for itself", () => {
    // Margin 24,000 cents (120–360 per customer × 100) against a cost of 10,000 cents.
    const r = returnOnSpend(margin(240, 120, 360), cost);
    expect(r.ratio).toBeCloseTo(2.4, 12);
    expect(r.ci![0]).toBeCloseTo(1.2, 12);
    expect(r.ci![1]).toBeCloseTo(3.6, 12);
    expect(r.net).toBe("140.00");
    expect(r.verdict).toBe("PAYS_FOR_ITSELF");
    expect(r.reason).toBeNull();
    expect(returnOnSpend(margin(50, 10, 90), cost).verdict).toBe("DOES_NOT_PAY");
    expect(returnOnSpend(margin(120, 50, 190), cost).verdict).toBe("UNCLEAR");
  });

  it("judges on the always-valid interval when there is one", () => {
    expect(returnOnSpend(margin(240, 120, 360, [80, 400]), cost).verdict).toBe("UNCLEAR");
  });

  it("has no ratio when the campaign cost nothing, but still a net and a verdict", () => {
    const free = campaignCost({ pointsAwarded: 0, costPerPointMinor: "1", currency: "USD" });
    const r = returnOnSpend(margin(5, 1, 9), free);
    expect(r).toMatchObject({
      ratio: null,
      ci: null,
      net: "5.00",
      verdict: "PAYS_FOR_ITSELF",
      reason: "NO_COST",
    });
  });

  it("keeps fractions of a cent in the net and refuses mixed currencies", () => {
    const halfCent = campaignCost({ pointsAwarded: 3, costPerPointMinor: "0.5", currency: "USD" });
    expect(returnOnSpend(margin(0.01, 0, 0.02), halfCent).net).toBe("-0.005");
    const eur = campaignCost({ pointsAwarded: 3, costPerPointMinor: "1", currency: "EUR" });
    expect(() => returnOnSpend(margin(1, 0, 2), eur)).toThrow(/USD and the cost in EUR/);
  });
});
