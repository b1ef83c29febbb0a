/** An inclusive range of UTC calendar months, each "YYYY-MM". */
export interface MonthRange {
  from: string;
  to: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Longest range the dashboard charts: ten years of months. */
export const MAX_MONTHS = 120;

/** The first instant of a "YYYY-MM" month, UTC. */
export function monthStart(month: string): Date {
  const [, year, mm] = MONTH.exec(month)!;
  return new Date(Date.UTC(Number(year), Number(mm) - 1, 1));
}

/** "YYYY-MM" of a date, UTC. */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** The month `n` months after (or before, for negative n) `month`. */
export function addMonths(month: string, n: number): string {
  const start = monthStart(month);
  return monthOf(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + n, 1)));
}

/** Every month from `from` to `to`, both included; empty when `to` is before `from`. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

/**
 * The range the dashboard charts: the given months, or the last 12 months up to `now`'s month.
 *
 * @returns the range, or the argument at fault and a message saying why.
 */
export function resolveMonthRange(
  from: string | null | undefined,
  to: string | null | undefined,
  now: Date,
): { ok: true; range: MonthRange } | { ok: false; field: "from" | "to"; message: string } {
  for (const [name, value] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (value != null && !MONTH.test(value)) {
      return {
        ok: false,
        field: name,
        message: `dashboardSeries: ${name} must be a month written YYYY-MM, e.g. 2026-01 (got "${value}")`,
      };
    }
  }
  const end = to ?? monthOf(now);
  const start = from ?? addMonths(end, -11);
  if (start > end) {
    return {
      ok: false,
      field: "from",
      message: `dashboardSeries: from (${start}) is after to (${end})`,
    };
  }
  if (monthsBetween(start, end).length > MAX_MONTHS) {
    return {
      ok: false,
      field: "from",
      message: `dashboardSeries: at most ${MAX_MONTHS} months at a time (${start} to ${end} is longer)`,
    };
  }
  return { ok: true, range: { from: start, to: end } };
}
