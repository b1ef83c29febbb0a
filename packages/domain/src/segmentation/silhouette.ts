import { createRng } from "../random";
import { matrixRows } from "./kmeans";
import { SegmentationError } from "./segmentation-error";

/**
 * Draws up to `size` distinct row indices uniformly (a partial Fisher–Yates shuffle), sorted.
 *
 * @param n rows to draw from.
 * @param size rows wanted; all rows when size ≥ n.
 * @param seed generator seed.
 * @returns ascending row indices.
 * @example
 * sampleRows(10, 3, 1); // e.g. Int32Array [2, 5, 9]
 */
export function sampleRows(n: number, size: number, seed: number): Int32Array {
  const m = Math.min(n, size);
  if (m === n) return Int32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  // Only the swapped slots are stored, so a sample of a million rows needs no million-row array.
  const swapped = new Map<number, number>();
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    const atJ = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    out[i] = atJ;
  }
  return out.sort();
}

/**
 * Mean silhouette of a clustering (Rousseeuw, "Silhouettes", J. Comput. Appl. Math. 20, 1987):
 * for each point, a = mean distance to the other points of its cluster, b = the lowest mean
 * distance to the points of another cluster, s = (b − a) / max(a, b), and s = 0 for a point
 * alone in its cluster. From −1 (wrong clusters) to 1 (tight, well apart).
 *
 * The exact figure costs n² distances, so it is computed on a seeded uniform sample of the
 * points (as scikit-learn's `silhouette_score(sample_size=…)`): a and b within the sample.
 *
 * @param points row-major n × dimensions.
 * @param dimensions features per point.
 * @param labels cluster of each point, 0..k-1.
 * @param options `sampleSize` (default 2,000; all points when fewer) and `seed` (default 0).
 * @returns the mean silhouette of the sampled points.
 * @throws {SegmentationError} `INVALID_SHAPE` when labels do not match the points,
 *   `INVALID_PARAMETER` when the sample holds fewer than two clusters.
 * @example
 * silhouetteScore(Float64Array.of(0, 1, 10, 11), 1, Int32Array.of(0, 0, 1, 1)); // ≈ 0.9
 */
export function silhouetteScore(
  points: Float64Array,
  dimensions: number,
  labels: Int32Array,
  options: { sampleSize?: number; seed?: number } = {},
): number {
  const n = matrixRows(points, dimensions);
  const { sampleSize = 2000, seed = 0 } = options;
  if (labels.length !== n) {
    throw new SegmentationError(
      "INVALID_SHAPE",
      `labels has ${labels.length} entries for ${n} points`,
      { field: "labels" },
    );
  }
  if (!Number.isSafeInteger(sampleSize) || sampleSize < 2) {
    throw new SegmentationError(
      "INVALID_PARAMETER",
      `sampleSize must be a whole number of at least 2 (got ${sampleSize})`,
      { field: "sampleSize" },
    );
  }
  const rows = sampleRows(n, sampleSize, seed);
  const m = rows.length;
  let k = 0;
  for (const i of rows) {
    if (!Number.isInteger(labels[i]!) || labels[i]! < 0) {
      throw new SegmentationError("INVALID_PARAMETER", `label of point ${i} is ${labels[i]}`, {
        index: i,
        field: "labels",
      });
    }
    k = Math.max(k, labels[i]! + 1);
  }
  const sizes = new Int32Array(k);
  for (const i of rows) sizes[labels[i]!]! += 1;
  let present = 0;
  for (const s of sizes) if (s > 0) present++;
  if (present < 2) {
    throw new SegmentationError(
      "INVALID_PARAMETER",
      `the silhouette needs at least two clusters; the ${m} sampled points are all in one`,
      { field: "labels" },
    );
  }
  const totals = new Float64Array(k);
  let sum = 0;
  for (let a = 0; a < m; a++) {
    totals.fill(0);
    const ia = rows[a]! * dimensions;
    for (let b = 0; b < m; b++) {
      if (a === b) continue;
      const ib = rows[b]! * dimensions;
      let d2 = 0;
      for (let j = 0; j < dimensions; j++) {
        const diff = points[ia + j]! - points[ib + j]!;
        d2 += diff * diff;
      }
      totals[labels[rows[b]!]!]! += Math.sqrt(d2);
    }
    const own = labels[rows[a]!]!;
    if (sizes[own]! < 2) continue;
    const within = totals[own]! / (sizes[own]! - 1);
    let nearest = Infinity;
    for (let c = 0; c < k; c++) {
      if (c !== own && sizes[c]! > 0) nearest = Math.min(nearest, totals[c]! / sizes[c]!);
    }
    const denominator = Math.max(within, nearest);
    sum += denominator > 0 ? (nearest - within) / denominator : 0;
  }
  return sum / m;
}
