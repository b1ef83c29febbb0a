import { kMeans, type KMeansOptions } from "./kmeans";
import { SegmentationError } from "./segmentation-error";

/** Inertia of the best clustering for one k. */
export interface ElbowPoint {
  k: number;
  inertia: number;
}

/**
 * The elbow curve: K-Means inertia for k = 1..maxK, each with the same seed and options.
 *
 * @param points row-major n × dimensions.
 * @param dimensions features per point.
 * @param maxK the largest k (at most the number of points).
 * @param options K-Means tuning other than k.
 * @returns one point per k, in order.
 * @throws {SegmentationError} as {@link kMeans}, and `INVALID_PARAMETER` for a bad maxK.
 * @example
 * elbowCurve(points, 3, 8, { seed: 7 }).map((p) => p.inertia); // falling with k
 */
export function elbowCurve(
  points: Float64Array,
  dimensions: number,
  maxK: number,
  options: Omit<KMeansOptions, "k"> = {},
): ElbowPoint[] {
  if (!Number.isSafeInteger(maxK) || maxK < 1) {
    throw new SegmentationError(
      "INVALID_PARAMETER",
      `maxK must be a whole number of at least 1 (got ${maxK})`,
      { field: "maxK" },
    );
  }
  const curve: ElbowPoint[] = [];
  for (let k = 1; k <= maxK; k++) {
    curve.push({ k, inertia: kMeans(points, dimensions, { ...options, k }).inertia });
  }
  return curve;
}

/**
 * The elbow of a curve: the k whose point lies farthest below the straight line from the first
 * to the last point, both axes scaled to 0..1 (the "Kneedle" rule of Satopää et al., "Finding a
 * 'kneedle' in a haystack", ICDCS workshops 2011, without smoothing).
 *
 * @param curve inertia by k, ascending k, at least three points.
 * @returns the k of the elbow, or null for fewer than three points or a flat curve.
 * @example
 * elbowK([{ k: 1, inertia: 100 }, { k: 2, inertia: 20 }, { k: 3, inertia: 15 }, { k: 4, inertia: 12 }]); // 2
 */
export function elbowK(curve: readonly ElbowPoint[]): number | null {
  if (curve.length < 3) return null;
  const first = curve[0]!;
  const last = curve[curve.length - 1]!;
  const spanK = last.k - first.k;
  const spanInertia = first.inertia - last.inertia;
  if (!(spanInertia > 0) || spanK <= 0) return null;
  let best: number | null = null;
  let bestGap = 0;
  for (const p of curve) {
    const x = (p.k - first.k) / spanK;
    const y = (first.inertia - p.inertia) / spanInertia;
    // How far the point lies above the chord y = x, in the curve's own "drop so far" terms.
    const gap = y - x;
    if (gap > bestGap) {
      bestGap = gap;
      best = p.k;
    }
  }
  return best;
}
