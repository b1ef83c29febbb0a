import { elbowK } from "./elbow";
import { kMeans, matrixRows } from "./kmeans";
import { SegmentationError } from "./segmentation-error";
import { sampleRows, silhouetteScore } from "./silhouette";

/** The figures behind a suggested k. */
export interface KSuggestion {
  /** The k with the highest mean silhouette (the smaller k on a tie). */
  k: number;
  /** The elbow of the inertia curve from k = 1 ({@link elbowK}), null when there is none. */
  elbowK: number | null;
  /** One entry per k from 1 to maxK; silhouette is null for k = 1 (undefined there). */
  curve: { k: number; inertia: number; silhouette: number | null }[];
  /** How many points the figures were computed on. */
  points: number;
}

/**
 * Suggests a number of clusters: clusters a seeded sample of the points for k = 1..maxK and
 * picks the k from minK..maxK with the best mean silhouette; the elbow of the inertia curve is
 * given beside it for the user to compare. Choosing k is a judgement on the shape of the data,
 * which a uniform sample of 20,000 points keeps, so the whole base is not clustered eight times.
 *
 * @param points row-major n × dimensions, already standardised.
 * @param dimensions features per point.
 * @param options `minK` (default 2), `maxK` (default 8), `seed` (default 0), `fitSampleSize`
 *   (default 20,000), `silhouetteSampleSize` (default 2,000), `restarts` (default 3).
 * @returns the suggestion and the figures per k.
 * @throws {SegmentationError} `INVALID_PARAMETER` when 2 ≤ minK ≤ maxK ≤ sampled points fails;
 *   as {@link kMeans} for bad points.
 * @example
 * suggestK(points, 3, { maxK: 6, seed: 1 }).k; // 4 for four well-separated groups
 */
export function suggestK(
  points: Float64Array,
  dimensions: number,
  options: {
    minK?: number;
    maxK?: number;
    seed?: number;
    fitSampleSize?: number;
    silhouetteSampleSize?: number;
    restarts?: number;
  } = {},
): KSuggestion {
  const n = matrixRows(points, dimensions);
  const {
    minK = 2,
    maxK = 8,
    seed = 0,
    fitSampleSize = 20_000,
    silhouetteSampleSize = 2000,
    restarts = 3,
  } = options;
  const rows = sampleRows(n, fitSampleSize, seed);
  const m = rows.length;
  if (
    !Number.isSafeInteger(minK) ||
    !Number.isSafeInteger(maxK) ||
    minK < 2 ||
    minK > maxK ||
    maxK > m
  ) {
    throw new SegmentationError(
      "INVALID_PARAMETER",
      `need whole numbers 2 ≤ minK ≤ maxK ≤ ${m} (the points clustered); got minK = ${minK}, maxK = ${maxK}`,
      { field: "maxK" },
    );
  }
  const sample = new Float64Array(m * dimensions);
  rows.forEach((row, i) => {
    sample.set(points.subarray(row * dimensions, (row + 1) * dimensions), i * dimensions);
  });
  const curve: KSuggestion["curve"] = [];
  let best = minK;
  let bestSilhouette = -Infinity;
  for (let k = 1; k <= maxK; k++) {
    const result = kMeans(sample, dimensions, { k, seed, restarts });
    let silhouette: number | null = null;
    if (k >= 2) {
      silhouette = silhouetteScore(sample, dimensions, result.labels, {
        sampleSize: silhouetteSampleSize,
        seed,
      });
      if (k >= minK && silhouette > bestSilhouette) {
        bestSilhouette = silhouette;
        best = k;
      }
    }
    curve.push({ k, inertia: result.inertia, silhouette });
  }
  return { k: best, elbowK: elbowK(curve), curve, points: m };
}
