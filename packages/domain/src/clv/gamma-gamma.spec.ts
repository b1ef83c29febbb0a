import { describe, expect, it } from "vitest";
import { toSummaryColumns, type CustomerSummary } from "./customer-summary";
import { fitGammaGamma } from "./fit-gamma-gamma";
import { gammaGammaExpectedSpend } from "./gamma-gamma-expected-spend";
import { gammaGammaLogLikelihood } from "./gamma-gamma-likelihood";
import { createRng, sampleGamma } from "../random";

const published = { p: 6.25, q: 3.74, v: 15.44 };

/** Repeat customers drawn from the Gamma-Gamma model itself, frequency independent of spend. */
function gammaGammaCustomers(
  n: number,
  seed: number,
  spendFollowsFrequency = false,
): CustomerSummary[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const x = 1 + Math.floor(rng.next() * 8);
    const nu = sampleGamma(rng, published.q, 1 / published.v);
    let m = sampleGamma(rng, published.p * x, 1 / nu) / x;
    if (spendFollowsFrequency) m *= x;
    return { customerId: String(i), frequency: x, recency: 1, T: 2, monetary: m };
  });
}

describe("gammaGammaLogLikelihood", () => {
  it("has an analytic gradient that matches central differences", () => {
    const columns = toSummaryColumns(gammaGammaCustomers(200, 1));
    const data = { frequency: columns.frequency, monetary: columns.monetary! };
    const gradient = new Float64Array(3);
    gammaGammaLogLikelihood(published, data, gradient);
    (["p", "q", "v"] as const).forEach((name, k) => {
      const h = 1e-6 * published[name];
      const up = gammaGammaLogLikelihood({ ...published, [name]: published[name] + h }, data);
      const down = gammaGammaLogLikelihood({ ...published, [name]: published[name] - h }, data);
      expect(gradient[k]).toBeCloseTo((up - down) / (2 * h), 4);
    });
  });
});

describe("fitGammaGamma", () => {
  it("recovers the generating parameters within two standard errors, without warnings", () => {
    const fit = fitGammaGamma(toSummaryColumns(gammaGammaCustomers(20_000, 2)));
    for (const name of ["p", "q", "v"] as const) {
      expect(Math.abs(fit.params[name] - published[name]) / fit.standardErrors![name]).toBeLessThan(
        2,
      );
    }
    expect(fit.warnings).toEqual([]);
    expect(Math.abs(fit.frequencySpendCorrelation)).toBeLessThan(0.3);
  });

  it("warns when spend correlates with frequency", () => {
    const fit = fitGammaGamma(toSummaryColumns(gammaGammaCustomers(3000, 3, true)));
    expect(fit.frequencySpendCorrelation).toBeGreaterThanOrEqual(0.3);
    expect(fit.warnings.join(" ")).toMatch(/frequency and mean spend are correlated/);
  });

  it("leaves out repeat customers with zero spend, and says so", () => {
    const rows = gammaGammaCustomers(500, 4);
    rows[0] = { ...rows[0]!, monetary: 0 };
    const fit = fitGammaGamma(toSummaryColumns(rows));
    expect(fit.customers).toBe(499);
    expect(fit.excludedZeroSpend).toBe(1);
    expect(fit.warnings.join(" ")).toMatch(/1 repeat customer\(s\) with zero mean repeat spend/);
  });

  it("rejects input without spend, without repeat customers, and q ≤ 1", () => {
    expect(() =>
      fitGammaGamma(toSummaryColumns([{ customerId: "a", frequency: 1, recency: 1, T: 2 }])),
    ).toThrow(/needs the mean repeat spend/);
    const noRepeat = toSummaryColumns([
      { customerId: "a", frequency: 0, recency: 0, T: 2, monetary: 0 },
      { customerId: "b", frequency: 0, recency: 0, T: 3, monetary: 0 },
    ]);
    expect(() => fitGammaGamma(noRepeat)).toThrow(
      expect.objectContaining({ code: "NO_REPEAT_CUSTOMERS" }),
    );
    // Spend with a Pareto-like tail (ν drawn with q = 0.6): the fitted q is below 1.
    const rng = createRng(9);
    const heavy = Array.from({ length: 5000 }, (_, i) => {
      const nu = sampleGamma(rng, 0.6, 1);
      return {
        customerId: String(i),
        frequency: 1,
        recency: 1,
        T: 2,
        monetary: sampleGamma(rng, 3, 1 / nu),
      };
    });
    expect(() => fitGammaGamma(toSummaryColumns(heavy))).toThrow(
      expect.objectContaining({ code: "GAMMA_GAMMA_Q_NOT_ABOVE_ONE" }),
    );
  });
});

describe("gammaGammaExpectedSpend", () => {
  it("is the population mean for x = 0 and moves towards m̄ as x grows", () => {
    const population = (published.p * published.v) / (published.q - 1);
    expect(gammaGammaExpectedSpend(published, 0, 999)).toBeCloseTo(population, 12);
    const one = gammaGammaExpectedSpend(published, 1, 100);
    const many = gammaGammaExpectedSpend(published, 50, 100);
    expect(one).toBeGreaterThan(population);
    expect(many).toBeGreaterThan(one);
    expect(many).toBeLessThan(100);
    // Note 025 eq. 5 by hand for x = 2, m̄ = 22.35.
    const w = (published.p * 2) / (published.p * 2 + published.q - 1);
    expect(gammaGammaExpectedSpend(published, 2, 22.35)).toBeCloseTo(
      (1 - w) * population + w * 22.35,
      12,
    );
  });

  it("needs q > 1", () => {
    expect(() => gammaGammaExpectedSpend({ ...published, q: 1 }, 1, 10)).toThrow(/q > 1/);
  });
});
