import { DAYS_PER_MONTH } from "../clv";

/** Two consecutive windows ending on the last day of the data, for measuring retention. */
export interface RetentionWindows {
  /** First day of the earlier window. */
  previousStart: number;
  /** First day of the later window (the earlier one ends the day before). */
  lastStart: number;
  /** Last day of the later window. */
  end: number;
  /** Length of each window in days. */
  days: number;
}

/**
 * The windows over which the heuristic models' retention rate is measured: the last year and
 * the year before it, or the two halves of the data when it spans less than two years.
 *
 * @param firstDay first purchase day of the data.
 * @param endDay last day of the data.
 * @returns the windows, or null when the data spans less than two months (no rate can be
 *   measured).
 * @example
 * retentionWindows(0, 729); // { previousStart: 0, lastStart: 365, end: 729, days: 365 }
 */
export function retentionWindows(firstDay: number, endDay: number): RetentionWindows | null {
  const days = Math.min(365, Math.floor((endDay - firstDay + 1) / 2));
  if (days < Math.floor(DAYS_PER_MONTH)) return null;
  return { previousStart: endDay - 2 * days + 1, lastStart: endDay - days + 1, end: endDay, days };
}

/**
 * Monthly retention rate of the customer base: of the customers who bought in the earlier
 * window, the share who bought again in the later one, converted to a month as r^(1/months)
 * (a constant monthly rate compounding to the measured one).
 *
 * @param activeBefore customers with a purchase in the earlier window.
 * @param retained of those, customers with a purchase in the later window too.
 * @param windowDays length of a window in days.
 * @returns the rate in [0, 1], or null when nobody bought in the earlier window.
 * @throws {RangeError} for counts that are negative, fractional or inconsistent.
 * @example
 * monthlyRetention(1000, 531, 365); // 0.9487 (0.531 a year)
 */
export function monthlyRetention(
  activeBefore: number,
  retained: number,
  windowDays: number,
): number | null {
  if (
    !Number.isInteger(activeBefore) ||
    !Number.isInteger(retained) ||
    retained < 0 ||
    retained > activeBefore ||
    !(windowDays > 0)
  ) {
    throw new RangeError(
      `retention needs 0 ≤ retained ≤ active (got ${retained} of ${activeBefore} over ${windowDays} days)`,
    );
  }
  if (activeBefore === 0) return null;
  return Math.pow(retained / activeBefore, DAYS_PER_MONTH / windowDays);
}
