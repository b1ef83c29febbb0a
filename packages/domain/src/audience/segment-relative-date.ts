import type { Literal } from "./audience-spec";

/** A relative date's unit: days, weeks, calendar months, calendar years. */
export type RelativeDateUnit = "d" | "w" | "m" | "y";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whether a text is a real calendar day `YYYY-MM-DD` between 0001-01-01 and 9999-12-31
 * (proleptic Gregorian calendar, as MySQL's DATE).
 *
 * @param text the candidate.
 * @returns true for "2024-02-29", false for "2023-02-29", "2024-2-1" or "0000-01-01".
 * @example
 * isCalendarDate("2024-02-29"); // true
 * isCalendarDate("2024-13-01"); // false
 */
export function isCalendarDate(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * A day moved by an amount of days, weeks, months or years. Months and years are calendar
 * ones and land on the same day of the month, clamped at the month's end when that month is
 * shorter: 2024-03-31 − 1 month is 2024-02-29, 2024-02-29 − 1 year is 2023-02-28. (Days and
 * weeks are exact: −1w is always 7 days.)
 *
 * @param day the starting day, `YYYY-MM-DD`.
 * @param amount how many units, negative for the past.
 * @param unit "d", "w", "m" or "y".
 * @returns the moved day, `YYYY-MM-DD`.
 * @throws {RangeError} when `day` is not a calendar day, `amount` is not a whole number, or the
 *   result falls outside 0001-01-01 … 9999-12-31.
 * @example
 * shiftCalendarDate("2024-05-31", -6, "m"); // "2023-11-30"
 * shiftCalendarDate("2024-01-10", -90, "d"); // "2023-10-12"
 */
export function shiftCalendarDate(day: string, amount: number, unit: RelativeDateUnit): string {
  if (!isCalendarDate(day)) throw new RangeError(`"${day}" is not a calendar day YYYY-MM-DD`);
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`a relative date moves by a whole number, got ${amount}`);
  }
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  let result: [number, number, number];
  if (unit === "d" || unit === "w") {
    result = civilFromDays(daysFromCivil(year, month, date) + amount * (unit === "w" ? 7 : 1));
  } else {
    const months = year * 12 + (month - 1) + (unit === "m" ? amount : amount * 12);
    const y = Math.floor(months / 12);
    const m = months - y * 12 + 1;
    result = [y, m, Math.min(date, daysInMonth(y, m))];
  }
  const [y, m, d] = result;
  if (y < 1 || y > 9999) {
    throw new RangeError(`${day} moved by ${amount}${unit} leaves the years 0001–9999`);
  }
  return `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`;
}

/**
 * The day a date literal of the segment language stands for, counted from `today`.
 *
 * @param literal a `date`, `today` or `relativeDate` literal.
 * @param today the day the audience is evaluated, `YYYY-MM-DD` (UTC).
 * @returns the day, `YYYY-MM-DD`.
 * @throws {RangeError} when the literal is not a date literal, is not a calendar day, or moves
 *   out of the years 0001–9999.
 * @example
 * resolveDateLiteral({ type: "relativeDate", amount: -6, unit: "m" }, "2024-08-31"); // "2024-02-29"
 * resolveDateLiteral({ type: "today" }, "2024-08-31"); // "2024-08-31"
 */
export function resolveDateLiteral(literal: Literal, today: string): string {
  switch (literal.type) {
    case "date":
      if (!isCalendarDate(literal.value)) {
        throw new RangeError(`"${literal.value}" is not a calendar day YYYY-MM-DD`);
      }
      return literal.value;
    case "today":
      if (!isCalendarDate(today)) throw new RangeError(`today "${today}" is not YYYY-MM-DD`);
      return today;
    case "relativeDate":
      return shiftCalendarDate(today, literal.amount, literal.unit);
    default:
      throw new RangeError(`a ${literal.type} literal is not a date`);
  }
}

/**
 * The UTC calendar day of a Date, or of a `YYYY-MM-DD` text (checked).
 *
 * @param value a Date, or a day as text.
 * @returns `YYYY-MM-DD`.
 * @throws {RangeError} for an invalid Date, a text that is not a calendar day, or a year
 *   outside 0001–9999.
 * @example
 * utcDay(new Date("2024-03-01T23:30:00-05:00")); // "2024-03-02"
 */
export function utcDay(value: Date | string): string {
  if (typeof value === "string") {
    if (!isCalendarDate(value)) throw new RangeError(`"${value}" is not a calendar day YYYY-MM-DD`);
    return value;
  }
  const time = value.getTime();
  if (!Number.isFinite(time)) throw new RangeError("an invalid Date has no day");
  const [y, m, d] = civilFromDays(Math.floor(time / 86_400_000));
  if (y < 1 || y > 9999) throw new RangeError(`the year ${y} is outside 0001–9999`);
  return `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Day arithmetic in plain integers (Howard Hinnant's days_from_civil / civil_from_days, from
// "chrono-Compatible Low-Level Date Algorithms"): JavaScript's Date.UTC maps years 0–99 to
// 1900–1999, which would move "0050-01-01" by 19 centuries.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}
