import { describe, expect, it } from "vitest";
import { sampleBeta } from "./beta";
import { sampleExponential } from "./exponential";
import { sampleGamma } from "./gamma";
import { sampleNormal } from "./normal";
import { samplePoisson } from "./poisson";
import { createRng, RandomParameterError, type Rng } from "./prng";

/** Sample mean and variance of n draws. */
function moments(n: number, draw: () => number): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

const N = 100_000;

/** Checks a sample mean against the true one within 5 standard errors. */
function expectMean(actual: number, mean: number, variance: number): void {
  expect(Math.abs(actual - mean)).toBeLessThan(5 * Math.sqrt(variance / N));
}

describe("samplers", () => {
  it("sampleNormal has mean 0 and variance 1", () => {
    const rng = createRng(1);
    const m = moments(N, () => sampleNormal(rng));
    expectMean(m.mean, 0, 1);
    expect(m.variance).toBeCloseTo(1, 1);
  });

  it("sampleExponential has mean 1/rate and variance 1/rate²", () => {
    const rng = createRng(2);
    const m = moments(N, () => sampleExponential(rng, 4));
    expectMean(m.mean, 0.25, 1 / 16);
    expect(m.variance).toBeCloseTo(1 / 16, 2);
  });

  it.each([
    [0.243, 1 / 4.414],
    [1, 2],
    [6.25, 3],
    [150, 0.01],
  ])("sampleGamma(shape %d, scale %d) has mean kθ and variance kθ²", (shape, scale) => {
    const rng = createRng(3);
    const m = moments(N, () => sampleGamma(rng, shape, scale));
    expectMean(m.mean, shape * scale, shape * scale * scale);
    expect(m.variance / (shape * scale * scale)).toBeGreaterThan(0.95);
    expect(m.variance / (shape * scale * scale)).toBeLessThan(1.05);
  });

  it.each([
    [0.793, 2.426],
    [2, 5],
    [0.2, 0.3],
  ])("sampleBeta(%d, %d) has the beta mean and variance", (a, b) => {
    const rng = createRng(4);
    const mean = a / (a + b);
    const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    const m = moments(N, () => sampleBeta(rng, a, b));
    expectMean(m.mean, mean, variance);
    expect(m.variance / variance).toBeGreaterThan(0.97);
    expect(m.variance / variance).toBeLessThan(1.03);
  });

  it.each([0, 0.3, 3.5, 29.9, 30, 250, 12_345.6])(
    "samplePoisson(%d) has mean = variance = μ",
    (mu) => {
      const rng = createRng(5);
      const m = moments(N, () => {
        const k = samplePoisson(rng, mu);
        if (!Number.isInteger(k) || k < 0) throw new Error(`not a count: ${k}`);
        return k;
      });
      if (mu === 0) {
        expect(m.mean).toBe(0);
        return;
      }
      expectMean(m.mean, mu, mu);
      expect(m.variance / mu).toBeGreaterThan(0.97);
      expect(m.variance / mu).toBeLessThan(1.03);
    },
  );

  it("samplePoisson matches the probability mass at small counts", () => {
    const rng = createRng(6);
    const mu = 2;
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < N; i++) {
      const k = samplePoisson(rng, mu);
      if (k < 4) counts[k]! += 1;
    }
    let factorial = 1;
    counts.forEach((count, k) => {
      if (k > 0) factorial *= k;
      const p = (Math.exp(-mu) * mu ** k) / factorial;
      expect(Math.abs(count / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    });
  });

  it("rejects invalid parameters with a coded error", () => {
    const rng: Rng = createRng(0);
    expect(() => sampleGamma(rng, 0, 1)).toThrow(RandomParameterError);
    expect(() => sampleGamma(rng, 1, -1)).toThrow(/scale/);
    expect(() => sampleBeta(rng, Number.NaN, 1)).toThrow(/a must be > 0/);
    expect(() => sampleExponential(rng, 0)).toThrow(/rate/);
    expect(() => samplePoisson(rng, -1)).toThrow(/mean/);
    expect(() => sampleBeta(rng, 1, 0)).toThrow(
      expect.objectContaining({ code: "INVALID_RANDOM_PARAMETER" }),
    );
  });
});
