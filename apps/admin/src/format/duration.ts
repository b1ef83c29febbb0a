/** A length of time in the unit a person would use for it. */
export interface HumanDuration {
  unit: "day" | "week" | "month" | "year";
  count: number;
}

const DAY_MS = 86_400_000;
// Mean Gregorian month and year, as the API converts months (30.4375 days).
const DAYS_PER_MONTH = 30.4375;
const DAYS_PER_YEAR = 365.25;

/**
 * Whole days from `from` to `to` (ISO 8601 date-times), never negative.
 *
 * @param from - the earlier instant.
 * @param to - the later instant.
 * @returns the number of whole days, or null when either does not parse.
 * @example
 * daysBetween("2024-01-01T00:00:00Z", "2024-01-22T00:00:00Z") // 21
 */
export function daysBetween(from: string, to: string): number | null {
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, Math.floor((end - start) / DAY_MS));
}

/**
 * Expresses a number of days the way people say it: days under two weeks, weeks up to about
 * four weeks (26 days and more read as "1 month", so a 30-day rhythm is "every month"),
 * months under two years, then years. Rounded to the nearest whole unit, never below the
 * smallest count of its unit (13.6 days is "2 weeks", 731 days "2 years").
 *
 * @param days - a length in days, ≥ 0.
 * @returns the unit and count.
 * @example
 * humanDuration(21) // { unit: "week", count: 3 }
 * humanDuration(426) // { unit: "month", count: 14 }
 */
export function humanDuration(days: number): HumanDuration {
  const d = Math.max(0, days);
  if (d < 13.5) return { unit: "day", count: Math.round(d) };
  if (d < 26) return { unit: "week", count: Math.max(2, Math.round(d / 7)) };
  if (d < 2 * DAYS_PER_YEAR) {
    return { unit: "month", count: Math.max(1, Math.round(d / DAYS_PER_MONTH)) };
  }
  return { unit: "year", count: Math.max(2, Math.round(d / DAYS_PER_YEAR)) };
}
