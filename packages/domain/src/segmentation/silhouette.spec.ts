import { describe, expect, it } from "vitest";
import { sampleRows, silhouetteScore } from "./silhouette";
import { gaussianBlobs } from "./test-points";

describe("silhouetteScore", () => {
  it("matches the definition on a small example", () => {
    // Points 0, 1 | 10, 11: for 0, a = 1, b = (10 + 11) / 2 = 10.5, s = 9.5 / 10.5.
    const points = Float64Array.of(0, 1, 10, 11);
    const s0 = 9.5 / 10.5;
    const s1 = (9.5 - 1) / 9.5;
    expect(silhouetteScore(points, 1, Int32Array.of(0, 0, 1, 1))).toBeCloseTo((s0 + s1) / 2, 12);
  });

  it("counts a point alone in its cluster as 0", () => {
    const points = Float64Array.of(0, 1, 10);
    // 0: a = 1, b = 10 → 0.9; 1: a = 1, b = 9 → 8/9; 10: alone → 0.
    expect(silhouetteScore(points, 1, Int32Array.of(0, 0, 1))).toBeCloseTo((0.9 + 8 / 9) / 3, 12);
  });

  it("is high for the true partition and lower for a wrong one, on a seeded sample", () => {
    const { points, dimensions, truth } = gaussianBlobs(
      [
        [0, 0],
        [8, 0],
        [0, 8],
      ],
      3000,
      1,
      9,
    );
    const good = silhouetteScore(points, dimensions, truth, { sampleSize: 1000, seed: 1 });
    const wrong = truth.map((c, i) => (i % 2 === 0 ? c : (c + 1) % 3));
    expect(good).toBeGreaterThan(0.7);
    expect(silhouetteScore(points, dimensions, wrong, { sampleSize: 1000, seed: 1 })).toBeLessThan(
      0.1,
    );
    expect(silhouetteScore(points, dimensions, truth, { sampleSize: 1000, seed: 1 })).toBe(good);
  });

  it("refuses a single cluster and mismatched labels", () => {
    expect(() => silhouetteScore(Float64Array.of(0, 1), 1, Int32Array.of(0, 0))).toThrow(
      /at least two clusters/,
    );
    expect(() => silhouetteScore(Float64Array.of(0, 1), 1, Int32Array.of(0))).toThrow(
      /1 entries for 2 points/,
    );
  });
});

describe("sampleRows", () => {
  it("draws distinct rows, the same for the same seed", () => {
    const a = sampleRows(1_000_000, 500, 3);
    expect(new Set(a).size).toBe(500);
    expect(a.every((i) => i >= 0 && i < 1_000_000)).toBe(true);
    expect(sampleRows(1_000_000, 500, 3)).toEqual(a);
    expect(sampleRows(4, 10, 3)).toEqual(Int32Array.of(0, 1, 2, 3));
  });

  it("draws every row equally often", () => {
    const counts = new Array<number>(10).fill(0);
    for (let seed = 0; seed < 2000; seed++)
      for (const i of sampleRows(10, 3, seed)) counts[i]! += 1;
    // 600 expected per row; the standard deviation is about 20.
    for (const c of counts) expect(Math.abs(c - 600)).toBeLessThan(100);
  });
});
