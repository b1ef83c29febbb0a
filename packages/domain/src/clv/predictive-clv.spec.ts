import { describe, expect, it } from "vitest";
import { bgNbdConditionalExpectedPurchases } from "./bg-nbd-conditional-expected-purchases";
import {
  discountedPurchaseProfile,
  predictiveClv,
  predictiveClvFromProfile,
} from "./predictive-clv";
import { unitsPerMonth } from "./time-unit";

const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const history = { frequency: 2, recency: 30.43, T: 38.86 };

describe("predictiveClv", () => {
  it("without discounting is E[M] · margin · E[Y(H)] in minor units", () => {
    const result = predictiveClv(params, 24.5, history, {
      timeUnit: "week",
      monthlyDiscountRate: 0,
      margin: 0.4,
    });
    const expectedPurchases = bgNbdConditionalExpectedPurchases(
      params,
      history,
      12 * unitsPerMonth("week"),
    );
    expect(result.expectedPurchases).toBeCloseTo(expectedPurchases, 12);
    expect(result.clv).toBe(Math.round(24.5 * 100 * 0.4 * expectedPurchases));
    expect(Number.isInteger(result.clv)).toBe(true);
  });

  it("follows the monthly discounted sum of docs/clv-models.md", () => {
    const month = unitsPerMonth("week");
    let expected = 0;
    for (let k = 1; k <= 6; k++) {
      const step =
        bgNbdConditionalExpectedPurchases(params, history, k * month) -
        bgNbdConditionalExpectedPurchases(params, history, (k - 1) * month);
      expected += (30 * 100 * step - 50) / 1.02 ** k;
    }
    const result = predictiveClv(params, 30, history, {
      timeUnit: "week",
      horizonMonths: 6,
      monthlyDiscountRate: 0.02,
      monthlyCost: 50,
    });
    expect(Math.abs(result.clv - expected)).toBeLessThanOrEqual(0.5);
  });

  it("gives the same value whatever the model's time unit", () => {
    const weekly = predictiveClv(params, 20, history, { timeUnit: "week" });
    const daily = predictiveClv(
      { ...params, alpha: params.alpha * 7 },
      20,
      { frequency: 2, recency: 30.43 * 7, T: 38.86 * 7 },
      { timeUnit: "day" },
    );
    expect(daily.clv).toBe(weekly.clv);
  });

  it("splits into a per-history profile that customers with the same history can share", () => {
    const options = {
      timeUnit: "week" as const,
      monthlyDiscountRate: 0.02,
      margin: 0.5,
      monthlyCost: 30,
    };
    const profile = discountedPurchaseProfile(params, history, options);
    for (const spend of [0, 12.5, 80]) {
      expect(predictiveClvFromProfile(profile, spend, options)).toEqual(
        predictiveClv(params, spend, history, options),
      );
    }
    expect(profile.discountFactorSum).toBeCloseTo((1 - 1.02 ** -12) / 0.02, 12);
  });

  it("is 0 over a zero horizon and rejects bad options", () => {
    expect(predictiveClv(params, 20, history, { timeUnit: "week", horizonMonths: 0 })).toEqual({
      expectedPurchases: 0,
      clv: 0,
    });
    expect(() =>
      predictiveClv(params, 20, history, { timeUnit: "week", horizonMonths: 1.5 }),
    ).toThrow(/whole number of months/);
    expect(() =>
      predictiveClv(params, 20, history, { timeUnit: "week", monthlyDiscountRate: -0.1 }),
    ).toThrow(/discount rate/);
    expect(() => predictiveClv(params, 20, history, { timeUnit: "week", margin: 1.5 })).toThrow(
      /margin/,
    );
    expect(() =>
      predictiveClv(params, 20, history, { timeUnit: "week", monthlyCost: 0.5 }),
    ).toThrow(/minor units/);
    expect(() => predictiveClv(params, Number.NaN, history, { timeUnit: "week" })).toThrow(
      /expected spend/,
    );
  });
});
