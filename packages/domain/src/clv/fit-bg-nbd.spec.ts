import { describe, expect, it } from "vitest";
import { bgNbdLogLikelihood, bgNbdLogLikelihoodWithGradient } from "./bg-nbd-likelihood";
import type { BgNbdParams } from "./bg-nbd-params";
import { ClvError } from "./clv-error";
import { toSummaryColumns, type SummaryColumns } from "./customer-summary";
import { fitBgNbd } from "./fit-bg-nbd";
import { fitGammaGamma } from "./fit-gamma-gamma";
import { simulateBgNbdCustomers } from "./simulate-bg-nbd";
import { weightSummaries } from "./weighted-summaries";
import { betaln, gammaln } from "../math";

const cdnow: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

/** FHL 2005 eq. (6) written with beta functions, independently of the A1..A4 form. */
function likelihoodByEquation6(p: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const nbd = Math.exp(gammaln(r + x) - gammaln(r) + r * Math.log(alpha));
  const alive = Math.exp(betaln(a, b + x) - betaln(a, b) - (r + x) * Math.log(alpha + T));
  const dead =
    x > 0 ? Math.exp(betaln(a + 1, b + x - 1) - betaln(a, b) - (r + x) * Math.log(alpha + tx)) : 0;
  return nbd * (alive + dead);
}

const rows: SummaryColumns = toSummaryColumns([
  { customerId: "1", frequency: 2, recency: 30.43, T: 38.86 },
  { customerId: "2", frequency: 0, recency: 0, T: 38.86 },
  { customerId: "3", frequency: 7, recency: 12, T: 30 },
  { customerId: "4", frequency: 2, recency: 30.43, T: 38.86 },
  { customerId: "5", frequency: 1, recency: 0.5, T: 27 },
]);

describe("bgNbdLogLikelihood", () => {
  it("equals the sum of FHL 2005 eq. (6) over customers, counting duplicates by weight", () => {
    const weighted = weightSummaries(rows);
    expect(weighted.frequency.length).toBe(4);
    expect(Array.from(weighted.weight)).toEqual([2, 1, 1, 1]);
    let expected = 0;
    for (let i = 0; i < rows.frequency.length; i++) {
      expected += Math.log(
        likelihoodByEquation6(cdnow, rows.frequency[i]!, rows.recency[i]!, rows.T[i]!),
      );
    }
    expect(bgNbdLogLikelihood(cdnow, weighted)).toBeCloseTo(expected, 10);
  });

  it("has an analytic gradient that matches central differences", () => {
    const weighted = weightSummaries(rows);
    const gradient = new Float64Array(4);
    bgNbdLogLikelihoodWithGradient(cdnow, weighted, gradient);
    (["r", "alpha", "a", "b"] as const).forEach((name, k) => {
      const h = 1e-6 * cdnow[name];
      const up = bgNbdLogLikelihood({ ...cdnow, [name]: cdnow[name] + h }, weighted);
      const down = bgNbdLogLikelihood({ ...cdnow, [name]: cdnow[name] - h }, weighted);
      expect(gradient[k]).toBeCloseTo((up - down) / (2 * h), 5);
    });
  });

  it("is NaN for non-positive parameters", () => {
    expect(bgNbdLogLikelihood({ ...cdnow, a: 0 }, weightSummaries(rows))).toBeNaN();
  });
});

describe("fitBgNbd", () => {
  it("recovers known parameters from 100,000 simulated customers within two standard errors", () => {
    const truth = { r: 0.5, alpha: 6, a: 0.8, b: 2.5 };
    const data = simulateBgNbdCustomers(truth, {
      customers: 100_000,
      T: 52,
      birthSpread: 12,
      seed: 2024,
      gammaGamma: { p: 6, q: 4, v: 15 },
    });
    const fit = fitBgNbd(data);
    expect(fit.customers).toBe(100_000);
    expect(fit.standardErrors).not.toBeNull();
    for (const name of ["r", "alpha", "a", "b"] as const) {
      const z = Math.abs(fit.params[name] - truth[name]) / fit.standardErrors![name];
      expect(z, `${name}: ${fit.params[name]} ± ${fit.standardErrors![name]}`).toBeLessThan(2);
    }
    const spend = fitGammaGamma(data);
    for (const name of ["p", "q", "v"] as const) {
      const truthValue = { p: 6, q: 4, v: 15 }[name];
      const z = Math.abs(spend.params[name] - truthValue) / spend.standardErrors![name];
      expect(z, `${name}: ${spend.params[name]} ± ${spend.standardErrors![name]}`).toBeLessThan(2);
    }
  });

  it("gives the same estimates from weighted rows as from one row per customer", () => {
    const data = simulateBgNbdCustomers(cdnow, {
      customers: 3000,
      T: 39,
      resolution: 1 / 7,
      birthSpread: 12,
      seed: 7,
    });
    const weighted = weightSummaries(data);
    expect(weighted.frequency.length).toBeLessThan(3000);
    const a = fitBgNbd(data);
    const b = fitBgNbd(weighted);
    expect(b.params.r).toBeCloseTo(a.params.r, 10);
    expect(b.logLikelihood).toBeCloseTo(a.logLikelihood, 8);
    expect(a.distinctRows).toBe(weighted.frequency.length);
  });

  it("does not mutate its input", () => {
    const data = simulateBgNbdCustomers(cdnow, { customers: 2000, T: 39, seed: 3 });
    const copy = Float64Array.from(data.recency);
    fitBgNbd(data);
    expect(data.recency).toEqual(copy);
  });

  it("refuses to fit one customer, nobody repeating, and reports non-convergence", () => {
    const one = toSummaryColumns([{ customerId: "solo", frequency: 3, recency: 5, T: 9 }]);
    expect(() => fitBgNbd(one)).toThrow(expect.objectContaining({ code: "TOO_FEW_CUSTOMERS" }));
    const noRepeat = toSummaryColumns([
      { customerId: "a", frequency: 0, recency: 0, T: 9 },
      { customerId: "b", frequency: 0, recency: 0, T: 4 },
    ]);
    expect(() => fitBgNbd(noRepeat)).toThrow(
      /none of the 2 customers made a repeat purchase.*nothing to fit/,
    );
    expect(() => fitBgNbd(rows, { gradientTolerance: 0, logLikelihoodTolerance: 0 })).toThrow(
      expect.objectContaining({
        code: "NOT_CONVERGED",
        message: expect.stringMatching(/BG\/NBD fit did not converge.*last estimates r=/),
      }),
    );
    expect(() => fitBgNbd(rows, { initial: { ...cdnow, r: -1 } })).toThrow(ClvError);
  });
});
