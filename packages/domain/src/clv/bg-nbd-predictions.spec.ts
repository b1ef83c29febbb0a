import { describe, expect, it } from "vitest";
import { bgNbdConditionalExpectedPurchases } from "./bg-nbd-conditional-expected-purchases";
import { bgNbdExpectedPurchases } from "./bg-nbd-expected-purchases";
import type { BgNbdParams } from "./bg-nbd-params";
import { bgNbdProbabilityAlive } from "./bg-nbd-probability-alive";
import { bgNbdPurchaseCountProbability } from "./bg-nbd-purchase-count-probability";
import { simulateBgNbdCustomers } from "./simulate-bg-nbd";

const cdnow: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const customer1 = { frequency: 2, recency: 30.43, T: 38.86 };

describe("bgNbdProbabilityAlive", () => {
  it("follows FHL 2005 eq. (13)", () => {
    const { r, alpha, a, b } = cdnow;
    const expected = 1 / (1 + (a / (b + 1)) * ((alpha + 38.86) / (alpha + 30.43)) ** (r + 2));
    expect(bgNbdProbabilityAlive(cdnow, customer1)).toBeCloseTo(expected, 14);
  });

  it("is 1 without repeat purchases, and falls as the last purchase recedes", () => {
    expect(bgNbdProbabilityAlive(cdnow, { frequency: 0, recency: 0, T: 30 })).toBe(1);
    const recent = bgNbdProbabilityAlive(cdnow, { frequency: 10, recency: 29, T: 30 });
    const stale = bgNbdProbabilityAlive(cdnow, { frequency: 10, recency: 5, T: 30 });
    expect(stale).toBeLessThan(recent);
    expect(bgNbdProbabilityAlive(cdnow, { frequency: 5000, recency: 1, T: 300 })).toBe(0);
  });

  it("rejects invalid histories and parameters", () => {
    expect(() => bgNbdProbabilityAlive(cdnow, { frequency: 1, recency: 5, T: 4 })).toThrow(
      /recency ≤ T/,
    );
    expect(() => bgNbdProbabilityAlive({ ...cdnow, alpha: Number.NaN }, customer1)).toThrow(
      /alpha must be a positive number/,
    );
  });
});

describe("bgNbdExpectedPurchases and bgNbdPurchaseCountProbability", () => {
  it("P(X(t) = n) sums to 1 and its mean is E[X(t)] (eqs. 8 and 9 agree)", () => {
    for (const t of [1, 39, 78]) {
      let total = 0;
      let mean = 0;
      for (let n = 0; n < 700; n++) {
        const p = bgNbdPurchaseCountProbability(cdnow, t, n);
        total += p;
        mean += n * p;
      }
      expect(total).toBeCloseTo(1, 10);
      expect(mean).toBeCloseTo(bgNbdExpectedPurchases(cdnow, t), 8);
    }
    expect(bgNbdPurchaseCountProbability(cdnow, 0, 0)).toBe(1);
    expect(() => bgNbdPurchaseCountProbability(cdnow, 5, 1.5)).toThrow(/whole number/);
  });

  it("E[X(t)] matches the mean of simulated new customers", () => {
    const sim = simulateBgNbdCustomers(cdnow, { customers: 40_000, T: 39, seed: 11 });
    let sum = 0;
    let sumSq = 0;
    for (const x of sim.frequency) {
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / sim.frequency.length;
    const se = Math.sqrt((sumSq / sim.frequency.length - mean * mean) / sim.frequency.length);
    expect(Math.abs(mean - bgNbdExpectedPurchases(cdnow, 39))).toBeLessThan(4 * se);
  });
});

describe("bgNbdConditionalExpectedPurchases", () => {
  it("for a customer with no history equals E[X(t)]", () => {
    for (const t of [0.5, 39, 520]) {
      expect(
        bgNbdConditionalExpectedPurchases(cdnow, { frequency: 0, recency: 0, T: 0 }, t),
      ).toBeCloseTo(bgNbdExpectedPurchases(cdnow, t), 12);
    }
  });

  it("for a short horizon approaches P(alive) · E[λ | history] · t = P(alive) (r+x)/(α+T) t", () => {
    const t = 1e-4;
    const expectedRate =
      (bgNbdProbabilityAlive(cdnow, customer1) * (cdnow.r + 2)) / (cdnow.alpha + 38.86);
    expect(bgNbdConditionalExpectedPurchases(cdnow, customer1, t) / t).toBeCloseTo(expectedRate, 5);
  });

  it("summed over simulated customers, forecasts their simulated holdout purchases", () => {
    // Law of total expectation: Σ E[Y_i(t) | history_i] estimates Σ Y_i(t) without bias.
    const sim = simulateBgNbdCustomers(cdnow, {
      customers: 30_000,
      T: 39,
      birthSpread: 12,
      holdout: 39,
      seed: 5,
    });
    let predicted = 0;
    let actual = 0;
    let sumSq = 0;
    for (let i = 0; i < sim.frequency.length; i++) {
      const history = { frequency: sim.frequency[i]!, recency: sim.recency[i]!, T: sim.T[i]! };
      const e = bgNbdConditionalExpectedPurchases(cdnow, history, 39);
      predicted += e;
      actual += sim.holdoutFrequency![i]!;
      sumSq += (sim.holdoutFrequency![i]! - e) ** 2;
    }
    expect(Math.abs(actual - predicted)).toBeLessThan(4 * Math.sqrt(sumSq));
    expect(actual).toBeGreaterThan(1000);
  });

  it("stays finite and sensible for heavy buyers and long horizons", () => {
    const heavy = bgNbdConditionalExpectedPurchases(
      cdnow,
      { frequency: 3000, recency: 38.86, T: 38.86 },
      52,
    );
    expect(Number.isFinite(heavy)).toBe(true);
    // Alive heavy buyer: about (r+x)/(α+T) purchases a week, less future dropout.
    expect(heavy).toBeGreaterThan(1000);
    expect(heavy).toBeLessThan(((cdnow.r + 3000) / (cdnow.alpha + 38.86)) * 52);
    const long = bgNbdConditionalExpectedPurchases(cdnow, customer1, 5200);
    expect(long).toBeGreaterThan(bgNbdConditionalExpectedPurchases(cdnow, customer1, 520));
  });

  it("is 0 for t = 0 and rejects a negative horizon", () => {
    expect(bgNbdConditionalExpectedPurchases(cdnow, customer1, 0)).toBe(0);
    expect(() => bgNbdConditionalExpectedPurchases(cdnow, customer1, -1)).toThrow(/horizon/);
  });
});
