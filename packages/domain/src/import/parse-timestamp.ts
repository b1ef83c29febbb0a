/** A parsed instant, or why the text is not one. */
export type TimestampResult = { ok: true; date: Date } | { ok: false; message: string };

// YYYY-MM-DD, optionally followed by a time (T or space) with optional seconds, fraction and
// zone (Z or ±HH:MM / ±HHMM / ±HH).
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Earliest and latest instants a MySQL DATETIME holds. */
const MIN_MS = Date.UTC(1000, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Parses a date (`YYYY-MM-DD`, midnight UTC) or an ISO 8601 date-time. A date-time without a
 * zone is taken as UTC. Impossible calendar dates (2023-02-30, 2023-13-01, 25:00) are refused,
 * not rolled over as `Date` would. Fractions of a second beyond milliseconds are truncated.
 *
 * @param text the value; surrounding whitespace is ignored.
 * @returns `{ ok: true, date }` or `{ ok: false, message }`.
 * @example
 * parseTimestamp("2024-03-05"); // 2024-03-05T00:00:00.000Z
 * parseTimestamp("2024-03-05T10:30:00+02:00"); // 2024-03-05T08:30:00.000Z
 * parseTimestamp("2023-02-30"); // { ok: false, … }
 */
export function parseTimestamp(text: string): TimestampResult {
  const trimmed = text.trim();
  const m = TIMESTAMP.exec(trimmed);
  if (m === null) {
    return {
      ok: false,
      message: `"${text}" is not a date (YYYY-MM-DD) or ISO 8601 date-time`,
    };
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  if (month < 1 || month > 12) {
    return { ok: false, message: `"${text}" has no month ${month}` };
  }
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > monthDays) {
    return {
      ok: false,
      message: `"${text}" is not a real date (${year}-${m[2]} has ${monthDays} days)`,
    };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return { ok: false, message: `"${text}" has an impossible time of day` };
  }
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== "Z" && zone !== "z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const zoneHours = Number(digits.slice(0, 2));
    const zoneMinutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (zoneHours > 14 || zoneMinutes > 59) {
      return { ok: false, message: `"${text}" has an impossible UTC offset` };
    }
    offsetMinutes = sign * (zoneHours * 60 + zoneMinutes);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  if (ms < MIN_MS || ms > MAX_MS) {
    return { ok: false, message: `"${text}" is outside the years 1000 to 9999` };
  }
  return { ok: true, date: new Date(ms) };
}
