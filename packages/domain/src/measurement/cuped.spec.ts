import { describe, expect, it } from "vitest";
import type { ExperimentGroup } from "./assignment-groups";
import { cupedAdjust } from "./cuped";
import { summarizeGroup } from "./group-summary";
import { MeasurementError } from "./measurement-error";
import { createRng, groupsOf, sampleNormal, type Rng } from "./test-simulation";
import { welchDifference } from "./welch-difference";

/** Outcome y = effect·treated + ρ·x + √(1 − ρ²)·ε with x, ε standard normal: corr(x, y) = ρ. */
function simulate(rng: Rng, treatment: number, control: number, rho: number, effect: number) {
  const groups = groupsOf(treatment, control);
  const x = new Float64Array(groups.length);
  const y = new Float64Array(groups.length);
  const noise = Math.sqrt(1 - rho * rho);
  groups.forEach((g, i) => {
    x[i] = sampleNormal(rng);
    y[i] = (g === "treatment" ? effect : 0) + rho * x[i]! + noise * sampleNormal(rng);
  });
  return { groups, x, y };
}

describe("cupedAdjust", () => {
  it("recovers θ exactly when the outcome is a line in the covariate plus an effect", () => {
    const groups: ExperimentGroup[] = [
      "control",
      "control",
      "control",
      "treatment",
      "treatment",
      "treatment",
    ];
    const x = [1, 2, 3, 1.5, 2.5, 3.5];
    const noise = [0.1, -0.2, 0.1, -0.1, 0.2, -0.1];
    const y = x.map((v, i) => 2 * v + 5 + (groups[i] === "treatment" ? 1 : 0) + noise[i]!);
    const r = cupedAdjust(groups, y, [{ name: "pre", values: x }]);
    // Within-group slope of y on x: Σdx·dy / Σdx² over both groups.
    expect(r.theta.pre).toBeCloseTo(2, 12);
    // Raw Δ mixes the effect with the covariate imbalance (x̄_T − x̄_C = 0.5); CUPED removes it.
    expect(
      welchDifference(summarizeGroup(y.slice(3)), summarizeGroup(y.slice(0, 3))).estimate,
    ).toBeCloseTo(2, 12);
    expect(r.estimate).toBeCloseTo(1, 12);
    expect(r.covariates).toEqual(["pre"]);
    expect(r.dropped).toEqual([]);
  });

  it("is at least 25% narrower than the plain Welch interval when the covariate correlates 0.7 (200 simulations)", () => {
    const rng = createRng(424242);
    const ratios: number[] = [];
    const reductions: number[] = [];
    for (let s = 0; s < 200; s++) {
      const { groups, x, y } = simulate(rng, 5000, 5000, 0.7, 0.1);
      const r = cupedAdjust(groups, y, [{ name: "x", values: x }]);
      const raw = welchDifference(
        summarizeGroup(y.subarray(5000)),
        summarizeGroup(y.subarray(0, 5000)),
      );
      ratios.push((r.ci![1] - r.ci![0]) / (raw.ci![1] - raw.ci![0]));
      reductions.push(r.varianceReduction!);
    }
    ratios.sort((a, b) => a - b);
    reductions.sort((a, b) => a - b);
    // √(1 − 0.49) = 0.714: every run at least 25% narrower; the reported reduction is the
    // variance's, about ρ² = 0.49.
    expect(ratios[ratios.length - 1]!).toBeLessThanOrEqual(0.75);
    expect(ratios[100]!).toBeCloseTo(0.714, 2);
    expect(reductions[100]!).toBeCloseTo(0.49, 2);
  });

  it("is 25% narrower on average with a 10% control group too, where the small group sets the width", () => {
    const rng = createRng(4243);
    let sum = 0;
    for (let s = 0; s < 200; s++) {
      const { groups, x, y } = simulate(rng, 1800, 200, 0.7, 0.1);
      const r = cupedAdjust(groups, y, [{ name: "x", values: x }]);
      const raw = welchDifference(
        summarizeGroup(y.subarray(200)),
        summarizeGroup(y.subarray(0, 200)),
      );
      sum += (r.ci![1] - r.ci![0]) / (raw.ci![1] - raw.ci![0]);
    }
    expect(sum / 200).toBeLessThanOrEqual(0.75);
  });

  it("keeps covering the true effect 93–97% of the time (500 simulations)", () => {
    const rng = createRng(31337);
    let covered = 0;
    for (let s = 0; s < 500; s++) {
      const { groups, x, y } = simulate(rng, 450, 50, 0.7, 0.3);
      const { ci } = cupedAdjust(groups, y, [{ name: "x", values: x }]);
      if (ci![0] <= 0.3 && 0.3 <= ci![1]) covered += 1;
    }
    expect(covered / 500).toBeGreaterThanOrEqual(0.93);
    expect(covered / 500).toBeLessThanOrEqual(0.97);
  });

  it("combines several covariates by regression (CUPAC: pre-period spend and predicted CLV)", () => {
    const rng = createRng(5);
    const n = 4000;
    const groups = groupsOf(3600, 400);
    const pre = new Float64Array(n);
    const clv = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      pre[i] = sampleNormal(rng);
      clv[i] = sampleNormal(rng);
      y[i] = 0.5 * pre[i]! + 0.5 * clv[i]! + 0.7 * sampleNormal(rng);
    }
    const one = cupedAdjust(groups, y, [{ name: "pre", values: pre }]);
    const both = cupedAdjust(groups, y, [
      { name: "pre", values: pre },
      { name: "clv", values: clv },
    ]);
    expect(both.theta.pre).toBeCloseTo(0.5, 1);
    expect(both.theta.clv).toBeCloseTo(0.5, 1);
    // Var(y) = 0.25 + 0.25 + 0.49: one covariate explains ~25%, both ~51%.
    expect(one.varianceReduction!).toBeGreaterThan(0.18);
    expect(one.varianceReduction!).toBeLessThan(0.32);
    expect(both.varianceReduction!).toBeGreaterThan(0.44);
    expect(both.varianceReduction!).toBeLessThan(0.58);
  });

  it("drops a constant covariate and one that repeats another, and says so", () => {
    const rng = createRng(9);
    const { groups, x, y } = simulate(rng, 90, 30, 0.6, 0);
    const twice = x.map((v) => 2 * v + 1);
    const constant = new Float64Array(x.length).fill(3);
    const r = cupedAdjust(groups, y, [
      { name: "x", values: x },
      { name: "constant", values: constant },
      { name: "twice_x", values: twice },
    ]);
    expect(r.covariates).toEqual(["x"]);
    expect(r.dropped).toEqual(["constant", "twice_x"]);
    const alone = cupedAdjust(groups, y, [{ name: "x", values: x }]);
    expect(r.estimate).toBeCloseTo(alone.estimate, 10);
    const none = cupedAdjust(groups, y, [{ name: "constant", values: constant }]);
    expect(none.covariates).toEqual([]);
    expect(none.varianceReduction).toBeCloseTo(0, 12);
  });

  it("refuses mismatched lengths, missing covariates and non-finite values, and leaves inputs alone", () => {
    const groups: ExperimentGroup[] = ["control", "control", "treatment", "treatment"];
    const y = [1, 2, 3, 4];
    const x = [1, 1, 2, 2];
    expect(() => cupedAdjust(groups, y, [])).toThrow(/at least one covariate/);
    expect(() => cupedAdjust(groups, y, [{ name: "pre", values: [1, 2, 3] }])).toThrow(
      /covariate pre has 3 values and the outcome 4/,
    );
    expect(() => cupedAdjust(groups, y, [{ name: "pre", values: [1, Number.NaN, 3, 4] }])).toThrow(
      /pre\[1\] must be a finite number/,
    );
    expect(() => cupedAdjust(groups.slice(1), y, [{ name: "pre", values: x }])).toThrow(
      MeasurementError,
    );
    const copy = [...x];
    cupedAdjust(groups, y, [{ name: "pre", values: x }]);
    expect(x).toEqual(copy);
  });
});
