import { matrixRows } from "./kmeans";
import { SegmentationError } from "./segmentation-error";

/**
 * A fitted feature transform, kept as data so that it can be stored with a clustering and
 * applied to customers scored later: x → (slog(x) − mean) / scale per feature, where slog is
 * sign(x) · ln(1 + |x|) when `log[j]` is set and the identity otherwise.
 */
export interface Standardization {
  log: boolean[];
  mean: number[];
  /** Population standard deviation of the (logged) feature; 1 when the feature is constant. */
  scale: number[];
}

/**
 * sign(x) · ln(1 + |x|): ln(1 + x) for the usual non-negative RFM inputs (days, order counts,
 * spend), and still defined for a negative CLV or a refund-heavy spend, mirrored around 0.
 */
function signedLog1p(x: number): number {
  return x < 0 ? -Math.log1p(-x) : Math.log1p(x);
}

/**
 * Fits the standardisation K-Means needs on customer features: RFM values are heavily
 * right-skewed (a few customers with hundreds of orders), so each feature is first put on a log
 * scale (signed ln(1 + x), see {@link Standardization}) and then z-scored, so that no feature
 * weighs more because of its unit.
 *
 * @param points row-major n × dimensions (not changed).
 * @param dimensions features per point.
 * @param log whether to log each feature (one flag for all, or one per feature; default true).
 * @returns the transform; apply it with {@link applyStandardization}.
 * @throws {SegmentationError} `EMPTY_INPUT`, `INVALID_SHAPE`, `INVALID_NUMBER`, or
 *   `INVALID_PARAMETER` when `log` has the wrong length.
 * @example
 * const t = fitStandardizer(Float64Array.of(0, 10, 100), 1);
 * applyStandardization(t, Float64Array.of(0, 10, 100)); // mean 0, standard deviation 1
 */
export function fitStandardizer(
  points: Float64Array,
  dimensions: number,
  log: boolean | boolean[] = true,
): Standardization {
  const n = matrixRows(points, dimensions);
  if (n === 0) throw new SegmentationError("EMPTY_INPUT", "no points to standardise");
  const flags = typeof log === "boolean" ? new Array<boolean>(dimensions).fill(log) : [...log];
  if (flags.length !== dimensions) {
    throw new SegmentationError(
      "INVALID_PARAMETER",
      `log has ${flags.length} flags for ${dimensions} features`,
      { field: "log" },
    );
  }
  const mean: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < dimensions; j++) {
    const f = flags[j] ? signedLog1p : (x: number): number => x;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = f(points[i * dimensions + j]!);
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (min === max) {
      // A constant feature carries no information: exactly 0 for every point, not rounding noise
      // divided by a standard deviation of 1e-16.
      mean.push(min);
      scale.push(1);
      continue;
    }
    const m = sum / n;
    // Two passes rather than E[x²] − E[x]², which loses digits when the spread is small.
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const diff = f(points[i * dimensions + j]!) - m;
      squares += diff * diff;
    }
    mean.push(m);
    scale.push(Math.sqrt(squares / n));
  }
  return { log: flags, mean, scale };
}

/**
 * Applies a fitted transform.
 *
 * @param transform from {@link fitStandardizer}.
 * @param points row-major n × the transform's number of features (not changed).
 * @returns a new row-major matrix of standardised features.
 * @throws {SegmentationError} `INVALID_SHAPE` / `INVALID_NUMBER`.
 * @example
 * applyStandardization({ log: [false], mean: [2], scale: [2] }, Float64Array.of(4)); // [1]
 */
export function applyStandardization(
  transform: Standardization,
  points: Float64Array,
): Float64Array {
  const d = transform.mean.length;
  const n = matrixRows(points, d);
  const out = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const logged = transform.log[j];
    const m = transform.mean[j]!;
    const s = transform.scale[j]!;
    for (let i = 0; i < n; i++) {
      const x = points[i * d + j]!;
      out[i * d + j] = ((logged ? signedLog1p(x) : x) - m) / s;
    }
  }
  return out;
}
