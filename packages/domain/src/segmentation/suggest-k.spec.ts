import { describe, expect, it } from "vitest";
import { elbowCurve, elbowK } from "./elbow";
import { suggestK } from "./suggest-k";
import { gaussianBlobs } from "./test-points";

const CENTRES = [
  [0, 0, 0],
  [7, 0, 0],
  [0, 7, 0],
  [0, 0, 7],
];

describe("elbow", () => {
  it("gives inertia for k = 1..maxK, falling with k", () => {
    const { points, dimensions } = gaussianBlobs(CENTRES, 200, 1, 2);
    const curve = elbowCurve(points, dimensions, 6, { seed: 1 });
    expect(curve.map((p) => p.k)).toEqual([1, 2, 3, 4, 5, 6]);
    curve.slice(1).forEach((p, i) => expect(p.inertia).toBeLessThan(curve[i]!.inertia));
    expect(elbowK(curve)).toBe(4);
  });

  it("finds the point farthest below the chord, and none without a bend", () => {
    const curve = [100, 20, 15, 12].map((inertia, i) => ({ k: i + 1, inertia }));
    expect(elbowK(curve)).toBe(2);
    expect(elbowK(curve.slice(0, 2))).toBeNull();
    expect(elbowK([3, 2, 1].map((inertia, i) => ({ k: i + 1, inertia })))).toBeNull();
    expect(() => elbowCurve(Float64Array.of(1), 1, 0)).toThrow(/maxK/);
  });
});

describe("suggestK", () => {
  it("suggests the number of well-separated groups, reproducibly", () => {
    const { points, dimensions } = gaussianBlobs(CENTRES, 2000, 1, 4);
    const a = suggestK(points, dimensions, { maxK: 7, seed: 3, fitSampleSize: 4000 });
    expect(a.k).toBe(4);
    expect(a.elbowK).toBe(4);
    expect(a.points).toBe(4000);
    expect(a.curve.map((c) => c.k)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(a.curve[0]!.silhouette).toBeNull();
    expect(suggestK(points, dimensions, { maxK: 7, seed: 3, fitSampleSize: 4000 })).toEqual(a);
  });

  it("refuses a range it cannot search", () => {
    const p = Float64Array.of(1, 2, 3);
    expect(() => suggestK(p, 1, { minK: 1 })).toThrow(/2 ≤ minK ≤ maxK ≤ 3/);
    expect(() => suggestK(p, 1, { maxK: 4 })).toThrow(/maxK = 4/);
  });
});
