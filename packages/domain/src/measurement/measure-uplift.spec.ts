import { describe, expect, it } from "vitest";
import type { ExperimentGroup } from "./assignment-groups";
import { confidenceSequence, mixingVarianceFor, sequentialVariance } from "./confidence-sequence";
import { cupedAdjust } from "./cuped";
import { summarizeGroup } from "./group-summary";
import { MeasurementError } from "./measurement-error";
import { measureUplift } from "./measure-uplift";
import { createRng, groupsOf, sampleNormal } from "./test-simulation";
import { welchDifference } from "./welch-difference";

function campaign(seed: number, effect: number) {
  const rng = createRng(seed);
  const groups = groupsOf(900, 100);
  const pre = Float64Array.from(groups, () => 50 + 10 * sampleNormal(rng));
  const outcome = Float64Array.from(
    groups,
    (g, i) => 0.8 * pre[i]! + 6 * sampleNormal(rng) + (g === "treatment" ? effect : 0),
  );
  return { groups, pre, outcome };
}

describe("measureUplift", () => {
  it("puts the group summaries, the Welch effect and the sequence together", () => {
    const { groups, outcome } = campaign(1, 3);
    const r = measureUplift({ groups, outcome });
    const t = summarizeGroup(outcome.subarray(100));
    const c = summarizeGroup(outcome.subarray(0, 100));
    expect(r.treatment).toEqual(t);
    expect(r.control).toEqual(c);
    expect(r.effect).toEqual(welchDifference(t, c));
    expect(r.adjusted).toBeNull();
    const v = sequentialVariance(t, c);
    expect(r.sequential).toEqual({
      ...confidenceSequence(t.mean - c.mean, v, mixingVarianceFor(v, 0.05)),
      basis: "unadjusted",
    });
  });

  it("adjusts with covariates and runs the sequence on the adjusted estimate", () => {
    const { groups, pre, outcome } = campaign(2, 3);
    const covariates = [{ name: "pre_spend", values: pre }];
    const r = measureUplift({ groups, outcome, covariates }, { alpha: 0.1 });
    const cuped = cupedAdjust(groups, outcome, covariates, 0.1);
    expect(r.adjusted!.estimate).toBe(cuped.estimate);
    expect(r.adjusted!.ci).toEqual(cuped.ci);
    // ρ² = 0.64 in the population; 100 controls make the sample figure noisy.
    expect(r.adjusted!.varianceReduction).toBeGreaterThan(0.45);
    expect(r.adjusted).not.toHaveProperty("adjusted");
    expect(r.sequential.basis).toBe("adjusted");
    expect(r.sequential.estimate).toBe(cuped.estimate);
    expect(r.sequential.alpha).toBe(0.1);
    // True effect 3 with sd 6 after adjustment: clearly conclusive.
    expect(r.sequential.conclusive).toBe(true);
    expect(r.effect.ci![1] - r.effect.ci![0]).toBeGreaterThan(
      r.adjusted!.ci![1] - r.adjusted!.ci![0],
    );
  });

  it("takes a fixed mixing variance, or tunes it to planned sizes", () => {
    const { groups, outcome } = campaign(3, 0);
    expect(
      measureUplift({ groups, outcome }, { mixingVariance: 2 }).sequential.mixingVariance,
    ).toBe(2);
    const planned = measureUplift(
      { groups, outcome },
      { planned: { treatment: 9000, control: 1000 } },
    );
    const current = measureUplift({ groups, outcome });
    expect(planned.sequential.mixingVariance).toBeLessThan(current.sequential.mixingVariance);
    expect(() =>
      measureUplift({ groups, outcome }, { planned: { treatment: 0, control: 5 } }),
    ).toThrow(/planned.treatment/);
  });

  it("names the row of a bad value or group, and refuses too few customers", () => {
    const groups: ExperimentGroup[] = ["control", "treatment", "control", "treatment"];
    expect(() => measureUplift({ groups, outcome: [1, 2, Number.NaN, 4] })).toThrow(
      /outcome\[2\] must be a finite number/,
    );
    expect(() =>
      measureUplift({
        groups: ["control", "test" as ExperimentGroup, "treatment"],
        outcome: [1, 2, 3],
      }),
    ).toThrow(/groups\[1\] must be "treatment" or "control"/);
    expect(() =>
      measureUplift({ groups: ["control", "treatment", "treatment"], outcome: [1, 2, 3] }),
    ).toThrow(/control group has 1 customer/);
    expect(() => measureUplift({ groups, outcome: [1, 2, 3] })).toThrow(MeasurementError);
  });

  it("has no intervals, and is not conclusive, when every outcome is the same", () => {
    const groups = groupsOf(5, 5);
    const r = measureUplift({ groups, outcome: new Float64Array(10) });
    expect(r.effect.ci).toBeNull();
    expect(r.sequential).toMatchObject({ ci: null, conclusive: false });
  });
});
