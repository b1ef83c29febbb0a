import { MeasurementError } from "./measurement-error";

/** One group's outcome: size, mean and sample standard deviation (n − 1 in the denominator). */
export interface GroupSummary {
  n: number;
  mean: number;
  /** Sample standard deviation; 0 for a single value. */
  sd: number;
}

/**
 * Size, mean and sample standard deviation of a group's per-customer outcomes, in one pass:
 * sums about the first value (so that large amounts in minor units do not lose the variance to
 * cancellation, and equal values give exactly 0), then {@link summaryFromMoments}. The input is
 * not changed.
 *
 * @param values per-customer outcomes (0/1 for conversion, minor units for money).
 * @param field name of the input, for error messages.
 * @returns the summary; an empty group has mean NaN and sd NaN.
 * @throws {MeasurementError} INVALID_NUMBER for a value that is not finite, naming its index.
 * @example
 * summarizeGroup([1, 2, 3, 4]); // { n: 4, mean: 2.5, sd: 1.2909944487358056 }
 */
export function summarizeGroup(values: ArrayLike<number>, field = "values"): GroupSummary {
  const n = values.length;
  const origin = n > 0 ? values[0]! : 0;
  let sum = 0;
  let sumOfSquares = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new MeasurementError(
        "INVALID_NUMBER",
        `${field}[${i}] must be a finite number (got ${v})`,
        { index: i, field },
      );
    }
    const d = v - origin;
    sum += d;
    sumOfSquares += d * d;
  }
  return summaryFromMoments({ n, sum, sumOfSquares }, origin);
}

/**
 * Running sums for a group, for callers that add customers one at a time (a daily series)
 * without keeping every value. Numerically fine while |values| stay far below 1e8 per customer
 * (amounts in minor units of ordinary orders); for one final figure use {@link summarizeGroup}.
 */
export interface GroupMoments {
  n: number;
  sum: number;
  sumOfSquares: number;
}

/**
 * A {@link GroupSummary} from running sums.
 *
 * @param moments count, sum and sum of squares (of the values less `origin`).
 * @param origin the value the sums were taken about (default 0).
 * @returns the summary (sd from the n − 1 formula, clamped at 0 against rounding).
 * @example
 * summaryFromMoments({ n: 4, sum: 10, sumOfSquares: 30 }); // { n: 4, mean: 2.5, sd: 1.29... }
 */
export function summaryFromMoments(moments: GroupMoments, origin = 0): GroupSummary {
  const { n, sum, sumOfSquares } = moments;
  if (n === 0) return { n: 0, mean: Number.NaN, sd: Number.NaN };
  const shifted = sum / n;
  const mean = origin + shifted;
  if (n === 1) return { n, mean, sd: 0 };
  const variance = Math.max(0, (sumOfSquares - sum * shifted) / (n - 1));
  return { n, mean, sd: Math.sqrt(variance) };
}
