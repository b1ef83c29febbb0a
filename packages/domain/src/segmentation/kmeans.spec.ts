import { describe, expect, it } from "vitest";
import { kMeans, nearestCentroids } from "./kmeans";
import { gaussianBlobs } from "./test-points";

const CENTRES = [
  [0, 0, 0],
  [6, 0, 0],
  [0, 6, 0],
  [0, 0, 6],
];

/** Whether two labelings are the same partition (cluster numbers may differ). */
function samePartition(a: Int32Array, b: Int32Array): boolean {
  const map = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const seen = map.get(a[i]!);
    if (seen === undefined) map.set(a[i]!, b[i]!);
    else if (seen !== b[i]) return false;
  }
  return new Set(map.values()).size === map.size;
}

function inertiaOf(
  points: Float64Array,
  d: number,
  centroids: Float64Array,
  labels: Int32Array,
): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = 0; j < d; j++) sum += (points[i * d + j]! - centroids[labels[i]! * d + j]!) ** 2;
  }
  return sum;
}

describe("kMeans", () => {
  const { points, dimensions, truth } = gaussianBlobs(CENTRES, 500, 0.6, 3);

  it("finds four well-separated groups", () => {
    const result = kMeans(points, dimensions, { k: 4, seed: 1 });
    expect(samePartition(result.labels, truth)).toBe(true);
    expect(result.converged).toBe(true);
    expect(result.inertia).toBeCloseTo(
      inertiaOf(points, dimensions, result.centroids, result.labels),
      6,
    );
    // A Lloyd's fixed point: each point's label is its nearest centroid, and each centroid is
    // the mean of its points.
    expect(nearestCentroids(points, dimensions, result.centroids)).toEqual(result.labels);
    for (let c = 0; c < 4; c++) {
      for (let j = 0; j < dimensions; j++) {
        let sum = 0;
        let count = 0;
        result.labels.forEach((label, i) => {
          if (label === c) {
            sum += points[i * dimensions + j]!;
            count++;
          }
        });
        expect(result.centroids[c * dimensions + j]).toBeCloseTo(sum / count, 10);
      }
    }
  });

  it("gives the same result for the same seed, and leaves the points alone", () => {
    const copy = points.slice();
    const a = kMeans(points, dimensions, { k: 5, seed: 42 });
    const b = kMeans(points, dimensions, { k: 5, seed: 42 });
    expect(b.centroids).toEqual(a.centroids);
    expect(b.labels).toEqual(a.labels);
    expect(b.inertia).toBe(a.inertia);
    expect(points).toEqual(copy);
  });

  it("keeps the restart with the lowest inertia", () => {
    // Random seeding often merges two blobs; ten restarts find the split that one run misses.
    const single = Array.from(
      { length: 10 },
      (_, seed) => kMeans(points, dimensions, { k: 4, seed, restarts: 1, init: "random" }).inertia,
    );
    const best = kMeans(points, dimensions, { k: 4, seed: 0, restarts: 10, init: "random" });
    expect(Math.max(...single)).toBeGreaterThan(best.inertia * 1.5);
    expect(best.inertia).toBeLessThanOrEqual(Math.min(...single) * (1 + 1e-9));
  });

  it("refills an empty cluster from the farthest point", () => {
    // Two far points and three identical ones; k = 3 with random seeding can start two centres
    // on equal points, leaving one cluster empty after the first assignment.
    const p = Float64Array.of(0, 0, 0, 100, 200);
    for (let seed = 0; seed < 20; seed++) {
      const r = kMeans(p, 1, { k: 3, seed, restarts: 1, init: "random" });
      expect(new Set(r.labels).size).toBe(3);
      expect(r.inertia).toBe(0);
    }
  });

  it("handles k = 1 and k = n", () => {
    const p = Float64Array.of(1, 2, 3, 6);
    expect(kMeans(p, 1, { k: 1 }).centroids).toEqual(Float64Array.of(3));
    expect(kMeans(p, 1, { k: 4 }).inertia).toBe(0);
  });

  it("stops at maxIterations with labels that match the returned centroids", () => {
    const r = kMeans(points, dimensions, {
      k: 8,
      seed: 2,
      maxIterations: 1,
      restarts: 1,
      init: "random",
    });
    expect(r.iterations).toBe(1);
    expect(nearestCentroids(points, dimensions, r.centroids)).toEqual(r.labels);
    expect(r.inertia).toBeCloseTo(inertiaOf(points, dimensions, r.centroids, r.labels), 6);
  });

  it("refuses bad input, saying what and where", () => {
    expect(() => kMeans(Float64Array.of(1, 2, 3), 2, { k: 1 })).toThrow(
      /not a whole number of rows of 2/,
    );
    expect(() => kMeans(Float64Array.of(1, 2, Number.NaN, 4), 2, { k: 1 })).toThrow(
      /point 1, feature 0 is not a finite number/,
    );
    expect(() => kMeans(Float64Array.of(1, 2), 1, { k: 3 })).toThrow(
      /k must be at most the number of points/,
    );
    expect(() => kMeans(Float64Array.of(1, 2), 1, { k: 0 })).toThrow(
      expect.objectContaining({ code: "INVALID_PARAMETER", location: { field: "k" } }),
    );
    expect(() => kMeans(new Float64Array(0), 1, { k: 1 })).toThrow(
      expect.objectContaining({ code: "EMPTY_INPUT" }),
    );
    expect(() => kMeans(Float64Array.of(1, 2), 1, { k: 1, tolerance: -1 })).toThrow(/tolerance/);
  });
});
