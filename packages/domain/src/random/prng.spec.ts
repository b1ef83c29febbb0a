import { describe, expect, it } from "vitest";
import { createRng, RandomParameterError } from "./prng";

describe("createRng", () => {
  it("gives the same sequence for the same seed and different ones for nearby seeds", () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 5 }, () => a.next());
    const seqB = Array.from({ length: 5 }, () => b.next());
    const seqC = Array.from({ length: 5 }, () => c.next());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it("draws uniforms in [0, 1) with the right mean, variance and no lag-1 correlation", () => {
    const rng = createRng(12345);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let lagProduct = 0;
    let prev = rng.next();
    let min = 1;
    let max = 0;
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      sum += u;
      sumSq += u * u;
      lagProduct += (u - 0.5) * (prev - 0.5);
      prev = u;
      min = Math.min(min, u);
      max = Math.max(max, u);
      buckets[Math.floor(u * 10)]! += 1;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumSq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 3);
    expect(Math.abs(lagProduct / n / (1 / 12))).toBeLessThan(0.01);
    // chi-square with 9 degrees of freedom; 27.9 is the 0.999 quantile.
    const expected = n / 10;
    const chi2 = buckets.reduce((acc, count) => acc + (count - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it("accepts negative and fractional seeds and rejects NaN", () => {
    expect(createRng(-3).next()).toBe(createRng(-3.7).next());
    expect(() => createRng(Number.NaN)).toThrow(RandomParameterError);
    expect(() => createRng(Infinity)).toThrow(/finite/);
  });
});
