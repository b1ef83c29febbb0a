import { describe, expect, it } from "vitest";
import { summarizeGroup, summaryFromMoments } from "./group-summary";
import { MeasurementError } from "./measurement-error";
import { createRng, sampleNormal, sampleSpend } from "./test-simulation";
import { welchDegreesOfFreedom, welchDifference } from "./welch-difference";

describe("summarizeGroup", () => {
  it("gives n, mean and the sample sd, and leaves the input alone", () => {
    const values = [1, 2, 3, 4];
    const frozen = Object.freeze([...values]);
    expect(summarizeGroup(frozen)).toEqual({ n: 4, mean: 2.5, sd: Math.sqrt(5 / 3) });
    expect(frozen).toEqual(values);
  });

  it("keeps the variance of large amounts (Welford, not Σx² − n·x̄²)", () => {
    const values = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    expect(summarizeGroup(values).sd).toBeCloseTo(Math.sqrt(30), 9);
  });

  it("handles empty and single-value groups, and names a bad value", () => {
    expect(summarizeGroup([])).toEqual({ n: 0, mean: Number.NaN, sd: Number.NaN });
    expect(summarizeGroup([5])).toEqual({ n: 1, mean: 5, sd: 0 });
    expect(() => summarizeGroup([1, Number.NaN], "revenue")).toThrow(
      /revenue\[1\] must be a finite number/,
    );
  });

  it("agrees with the summary from running sums", () => {
    const values = [3, 0, 0, 12, 7, 7, 1];
    const m = values.reduce(
      (acc, v) => ({ n: acc.n + 1, sum: acc.sum + v, sumOfSquares: acc.sumOfSquares + v * v }),
      { n: 0, sum: 0, sumOfSquares: 0 },
    );
    const a = summarizeGroup(values);
    const b = summaryFromMoments(m);
    expect(b.n).toBe(a.n);
    expect(b.mean).toBeCloseTo(a.mean, 12);
    expect(b.sd).toBeCloseTo(a.sd, 12);
  });
});

describe("welchDifference", () => {
  it("matches scipy's Welch test (ttest_ind_from_stats, equal_var=False)", () => {
    const r = welchDifference({ n: 50, mean: 12, sd: 4 }, { n: 40, mean: 10, sd: 5 });
    expect(r.estimate).toBe(2);
    expect(r.standardError).toBeCloseTo(0.972111104761179, 12);
    expect(r.df).toBeCloseTo(73.76822759353296, 10);
    expect(r.ci![0]).toBeCloseTo(0.06292521637947646, 10);
    expect(r.ci![1]).toBeCloseTo(3.9370747836205235, 10);
    expect(r.pValue).toBeCloseTo(0.043184943583072614, 12);
  });

  it("uses n − 1 of the other group when one group has no variation", () => {
    const r = welchDifference({ n: 10, mean: 1, sd: 0 }, { n: 30, mean: 0.5, sd: 0.5 });
    expect(r.df).toBeCloseTo(29, 12);
    expect(welchDegreesOfFreedom({ n: 3, mean: 0, sd: 0 }, { n: 3, mean: 0, sd: 0 })).toBeNaN();
  });

  it("has no interval or p-value when nothing varies", () => {
    const r = welchDifference({ n: 5, mean: 0, sd: 0 }, { n: 5, mean: 0, sd: 0 });
    expect(r).toMatchObject({ estimate: 0, standardError: 0, df: null, ci: null, pValue: null });
  });

  it("refuses groups of fewer than 2 and an alpha outside (0, 1)", () => {
    const g = { n: 10, mean: 1, sd: 1 };
    expect(() => welchDifference(g, { n: 1, mean: 1, sd: 0 })).toThrow(
      /control group has 1 customer; at least 2/,
    );
    expect(() => welchDifference({ n: 0, mean: Number.NaN, sd: Number.NaN }, g)).toThrow(
      MeasurementError,
    );
    expect(() => welchDifference(g, g, 0)).toThrow(/alpha must be a number strictly between/);
    expect(() => welchDifference(g, g, 1.2)).toThrow(MeasurementError);
  });

  it("covers the true effect 93–97% of the time over 500 simulated campaigns (unequal sizes and variances)", () => {
    const rng = createRng(20261201);
    const trueEffect = 1.5;
    let covered = 0;
    for (let s = 0; s < 500; s++) {
      // A small, noisy control next to a large treated group: the case where the pooled-variance
      // t interval is wrong and Welch's is not.
      const t = Array.from({ length: 300 }, () => 10 + trueEffect + 5 * sampleNormal(rng));
      const c = Array.from({ length: 40 }, () => 10 + 12 * sampleNormal(rng));
      const { ci } = welchDifference(summarizeGroup(t), summarizeGroup(c));
      if (ci![0] <= trueEffect && trueEffect <= ci![1]) covered += 1;
    }
    const coverage = covered / 500;
    expect(coverage).toBeGreaterThanOrEqual(0.93);
    expect(coverage).toBeLessThanOrEqual(0.97);
  });

  // With heavy skew the interval leans on the central limit theorem: at 500 controls it holds
  // (94.7% over 3000 runs); at 300 it falls to about 92% (see docs/measurement.md).
  it("covers 93–97% on skewed, mostly-zero spend too (500 simulations, 500 controls)", () => {
    const rng = createRng(7);
    // Treated customers convert at 22% instead of 20%; spend lognormal(8, 1) in cents.
    const mean = (p: number) => p * Math.exp(8 + 0.5);
    const trueEffect = mean(0.22) - mean(0.2);
    let covered = 0;
    for (let s = 0; s < 500; s++) {
      const t = Array.from({ length: 4500 }, () => sampleSpend(rng, 0.22, 8, 1));
      const c = Array.from({ length: 500 }, () => sampleSpend(rng, 0.2, 8, 1));
      const { ci } = welchDifference(summarizeGroup(t), summarizeGroup(c));
      if (ci![0] <= trueEffect && trueEffect <= ci![1]) covered += 1;
    }
    expect(covered / 500).toBeGreaterThanOrEqual(0.93);
    expect(covered / 500).toBeLessThanOrEqual(0.97);
  });
});
