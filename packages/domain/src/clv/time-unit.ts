import { ClvError } from "./clv-error";

/** The unit in which recency, T and forecast horizons are measured. */
export type TimeUnit = "day" | "week" | "month";

export const TIME_UNITS: readonly TimeUnit[] = ["day", "week", "month"];

/**
 * Average Gregorian month, 365.25 / 12 = 30.4375 days (4.348 weeks). lifetimes uses 30 days and
 * 4.345 weeks for its CLV step; one consistent month keeps day, week and month models
 * comparable, at a difference of under 0.1 %.
 */
export const DAYS_PER_MONTH = 365.25 / 12;

/**
 * Length of one time unit in days.
 *
 * @param unit day, week or month.
 * @returns 1, 7 or 30.4375.
 * @throws {ClvError} INVALID_PARAMETER for any other value.
 * @example
 * daysPerUnit("week"); // 7
 */
export function daysPerUnit(unit: TimeUnit): number {
  switch (unit) {
    case "day":
      return 1;
    case "week":
      return 7;
    case "month":
      return DAYS_PER_MONTH;
    default:
      throw new ClvError(
        "INVALID_PARAMETER",
        `time unit must be one of day, week, month (got ${String(unit)})`,
        {
          field: "timeUnit",
        },
      );
  }
}

/**
 * Length of one month in the given time unit (e.g. 4.348 weeks), used to step discounted CLV
 * month by month whatever unit the model was fitted in.
 *
 * @param unit the model's time unit.
 * @returns months expressed in that unit.
 * @example
 * unitsPerMonth("day"); // 30.4375
 */
export function unitsPerMonth(unit: TimeUnit): number {
  return DAYS_PER_MONTH / daysPerUnit(unit);
}
