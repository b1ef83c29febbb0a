import { describe, expect, it } from "vitest";
import { mixingVarianceFor, normalMixtureRadius } from "./confidence-sequence";
import { summarizeGroup } from "./group-summary";
import { minimumDetectableEffect } from "./minimum-detectable-effect";
import { createRng, sampleNormal } from "./test-simulation";
import { welchDifference } from "./welch-difference";

describe("minimumDetectableEffect", () => {
  it("matches the textbook power calculation (scipy: (t.ppf(0.975, ν) + t.ppf(0.8, ν))·SE)", () => {
    const mde = minimumDetectableEffect({ treatment: 9000, control: 1000, sd: 40 });
    expect(mde.fixedHorizon).toBeCloseTo(3.73840681971056, 9);
    expect(mde.standardError).toBeCloseTo(40 * Math.sqrt(1 / 9000 + 1 / 1000), 12);
    const v = mde.standardError ** 2;
    expect(mde.sequential).toBeCloseTo(
      normalMixtureRadius(v, mixingVarianceFor(v, 0.05), 0.05) +
        0.8416212335729143 * mde.standardError,
      9,
    );
    expect(mde.sequential).toBeGreaterThan(mde.fixedHorizon);
  });

  it("detects an effect of its own size about 80% of the time (400 simulations)", () => {
    const rng = createRng(80);
    const { fixedHorizon } = minimumDetectableEffect({ treatment: 400, control: 100, sd: 10 });
    let detected = 0;
    for (let s = 0; s < 400; s++) {
      const t = Array.from({ length: 400 }, () => fixedHorizon + 10 * sampleNormal(rng));
      const c = Array.from({ length: 100 }, () => 10 * sampleNormal(rng));
      if (welchDifference(summarizeGroup(t), summarizeGroup(c)).ci![0] > 0) detected += 1;
    }
    expect(detected / 400).toBeGreaterThan(0.74);
    expect(detected / 400).toBeLessThan(0.86);
  });

  it("shrinks with bigger groups and is 0 without variation", () => {
    const small = minimumDetectableEffect({ treatment: 900, control: 100, sd: 1 });
    const big = minimumDetectableEffect({ treatment: 90_000, control: 10_000, sd: 1 });
    expect(big.fixedHorizon).toBeCloseTo(small.fixedHorizon / 10, 2);
    expect(minimumDetectableEffect({ treatment: 10, control: 10, sd: 0 }).fixedHorizon).toBe(0);
  });

  it("refuses groups under 2, a negative sd and power outside (0, 1)", () => {
    expect(() => minimumDetectableEffect({ treatment: 1, control: 10, sd: 1 })).toThrow(
      /treatment must be a whole number ≥ 2/,
    );
    expect(() => minimumDetectableEffect({ treatment: 10, control: 10, sd: -1 })).toThrow(/sd/);
    expect(() => minimumDetectableEffect({ treatment: 10, control: 10, sd: 1, power: 1 })).toThrow(
      /power/,
    );
  });
});
