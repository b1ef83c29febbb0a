import { describe, expect, it } from "vitest";
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdProbabilityAlive,
  gammaGammaExpectedSpend,
  predictiveClv,
} from "../clv";
import type { CustomerOrderAggregate } from "./order-aggregate";
import { scoreCustomer, type ScoringContext } from "./score-customer";
import { defaultValueSettings } from "./value-settings";

// Four orders on three days: day 19000 (40.00, the first day), 19007 and 19021 (60.00 in
// all); 20.00 of recorded margin on 60.00 of orders, 40.00 of orders without a margin.
const orders: CustomerOrderAggregate = {
  orders: 4,
  purchaseDays: 3,
  firstDay: 19000,
  lastDay: 19021,
  amountMinor: 10000,
  firstDayAmountMinor: 4000,
  marginKnownMinor: 2000,
  amountWithoutMarginMinor: 4000,
};

const bgnbd = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const gammaGamma = { p: 6.25, q: 3.74, v: 15.44 };

function context(
  overrides: Partial<ScoringContext["settings"]> = {},
  retention: number | null = 0.9,
): ScoringContext {
  return {
    settings: { ...defaultValueSettings("0.3"), ...overrides },
    endDay: 19028,
    currencyDecimals: 2,
    models: { bgnbd, gammaGamma, monthlyRetention: retention },
  };
}

describe("scoreCustomer", () => {
  const input = { orders, acquisitionCostMinor: 2500 };

  it("values a customer with the BG/NBD + Gamma-Gamma functions of the clv module", () => {
    const score = scoreCustomer(input, context());
    // x = 2 repeat days, t_x = 21 days = 3 weeks, T = 28 days = 4 weeks, m̄ = 60.00 / 2 = 30.
    expect(score.summary).toEqual({ frequency: 2, recency: 3, T: 4, monetary: 30 });
    // Margin 20.00 + 30 % of 40.00 = 32.00; historical value 32.00 − CAC 25.00.
    expect(score.marginMinor).toBe(3200);
    expect(score.historicalValueMinor).toBe(700);
    const history = { frequency: 2, recency: 3, T: 4 };
    const spend = gammaGammaExpectedSpend(gammaGamma, 2, 30);
    const expected = predictiveClv(bgnbd, spend, history, {
      timeUnit: "week",
      horizonMonths: 12,
      monthlyDiscountRate: 0.01,
      margin: 0.32,
      currencyDecimals: 2,
    });
    expect(score.clvMinor).toBe(expected.clv);
    expect(score.clvMinor).toBeGreaterThan(0);
    expect(score.expectedPurchases).toBe(expected.expectedPurchases);
    expect(score.pAlive).toBe(bgNbdProbabilityAlive(bgnbd, history));
    expect(score.expectedAverageValueMinor).toBe(Math.round(spend * 100));
    expect(score.clvUnavailable).toBeNull();
  });

  it("takes a fixed CAC for everyone when so configured", () => {
    const score = scoreCustomer(input, context({ cacSource: "fixed", fixedCacMinor: 1000 }));
    expect(score.historicalValueMinor).toBe(2200);
  });

  it("values a prospect at −CAC to date, with no forecast", () => {
    const prospect = { orders: null, acquisitionCostMinor: 1800 };
    expect(scoreCustomer(prospect, context())).toMatchObject({
      historicalValueMinor: -1800,
      clvMinor: null,
      pAlive: null,
      expectedPurchases: null,
      summary: null,
    });
    expect(scoreCustomer(prospect, context({ model: "historical" })).clvMinor).toBe(-1800);
    expect(
      scoreCustomer({ orders: null, acquisitionCostMinor: null }, context()).historicalValueMinor,
    ).toBe(0);
  });

  it("uses the historical value as CLV under the historical model, still forecasting purchases", () => {
    const score = scoreCustomer(input, context({ model: "historical", horizonMonths: 6 }));
    expect(score.clvMinor).toBe(700);
    expect(score.expectedPurchases).toBe(
      bgNbdConditionalExpectedPurchases(
        bgnbd,
        { frequency: 2, recency: 3, T: 4 },
        6 * (30.4375 / 7),
      ),
    );
  });

  it("computes the simple projection from AOV, monthly frequency, churn and margin", () => {
    // AOV 25.00; tenure 29 days, counted as one month: 4 purchases a month; margin rate 0.32;
    // churn 0.1 → lifetime 10 months: 25 × 4 × 0.32 × 10 = 320.00, minus CAC 25.00.
    expect(scoreCustomer(input, context({ model: "simple" })).clvMinor).toBe(29500);
  });

  it("computes Gupta & Lehmann's retention value from the monthly margin", () => {
    // m = 32.00 a month, r = 0.9, d = 0.01: 3200 × 0.9 / 0.11 = 26181.8 → 26182.
    expect(scoreCustomer(input, context({ model: "retention" })).clvMinor).toBe(26182);
  });

  it("discounts the retained monthly margin over the horizon for DCF", () => {
    let npv = 0;
    for (let k = 1; k <= 12; k++) npv += Math.round(3200 * 0.9 ** k) / 1.01 ** k;
    const score = scoreCustomer(input, context({ model: "dcf" }));
    expect(Math.abs(score.clvMinor! - npv)).toBeLessThanOrEqual(0.5);
  });

  it("says why a model cannot value the customer", () => {
    const noRetention = scoreCustomer(input, context({ model: "simple" }, null));
    expect(noRetention.clvMinor).toBeNull();
    expect(noRetention.clvUnavailable).toMatch(/retention/);
    const noChurn = scoreCustomer(input, context({ model: "simple" }, 1));
    expect(noChurn.clvMinor).toBeNull();
    expect(noChurn.clvUnavailable).toMatch(/churn/);
    const noSpendModel: ScoringContext = {
      ...context(),
      models: { bgnbd, gammaGamma: null, monthlyRetention: 0.9 },
    };
    const score = scoreCustomer(input, noSpendModel);
    expect(score.clvMinor).toBeNull();
    expect(score.clvUnavailable).toBe("Gamma-Gamma could not be fitted");
    expect(score.pAlive).toBe(bgNbdProbabilityAlive(bgnbd, { frequency: 2, recency: 3, T: 4 }));
  });

  it("does not change its input", () => {
    const copy = JSON.parse(JSON.stringify(input)) as typeof input;
    scoreCustomer(input, context({ model: "dcf" }));
    expect(input).toEqual(copy);
  });
});
