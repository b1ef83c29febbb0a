/** A parsed instant, or why the text is not one. */
export type TimestampResult = { ok: true; date: Date } | { ok: false; message: string };

// Accepted: YYYY-MM-DD, optionally followed by T (or t, or a space) and HH:MM, optional :SS,
// optional fraction (. or , and 1 to 9 digits), optional spaces and an optional zone: Z (or z),
// ±HH, ±HHMM or ±HH:MM. Parsed by hand rather than with a regular expression: this runs for
// every row of multi-million-row imports, and the hand parser allocates nothing.

const ZERO = 48;

/** The value of `count` decimal digits at `at`, or -1 if they are not all digits. */
function digitsAt(text: string, at: number, count: number): number {
  if (at + count > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  /** Minutes east of UTC; NaN when the zone's numbers are impossible. */
  offset: number;
}

/** Splits the text into its fields, or returns null when it does not have the accepted shape. */
function scan(s: string): Fields | null {
  if (s.length < 10 || s[4] !== "-" || s[7] !== "-") return null;
  const f: Fields = {
    year: digitsAt(s, 0, 4),
    month: digitsAt(s, 5, 2),
    day: digitsAt(s, 8, 2),
    hour: 0,
    minute: 0,
    second: 0,
    millis: 0,
    offset: 0,
  };
  if (f.year < 0 || f.month < 0 || f.day < 0) return null;
  if (s.length === 10) return f;
  const sep = s[10];
  if (sep !== "T" && sep !== "t" && sep !== " ") return null;
  f.hour = digitsAt(s, 11, 2);
  f.minute = digitsAt(s, 14, 2);
  if (f.hour < 0 || s[13] !== ":" || f.minute < 0) return null;
  let i = 16;
  if (s[i] === ":") {
    f.second = digitsAt(s, i + 1, 2);
    if (f.second < 0) return null;
    i += 3;
    if (s[i] === "." || s[i] === ",") {
      const from = ++i;
      while (i < s.length && i - from < 10 && digitsAt(s, i, 1) >= 0) i++;
      const count = i - from;
      if (count < 1 || count > 9) return null;
      // Milliseconds from the first three digits; further digits are truncated.
      const head = digitsAt(s, from, Math.min(count, 3));
      f.millis = count >= 3 ? head : head * (count === 1 ? 100 : 10);
    }
  }
  while (s[i] === " " || s[i] === "\t") i++;
  if (i === s.length) return f;
  const zone = s[i];
  if ((zone === "Z" || zone === "z") && i + 1 === s.length) return f;
  if (zone !== "+" && zone !== "-") return null;
  const hours = digitsAt(s, i + 1, 2);
  if (hours < 0) return null;
  let minutes = 0;
  let end = i + 3;
  if (end < s.length) {
    if (s[end] === ":") end++;
    minutes = digitsAt(s, end, 2);
    if (minutes < 0) return null;
    end += 2;
  }
  if (end !== s.length) return null;
  f.offset =
    hours > 14 || minutes > 59 ? Number.NaN : (zone === "-" ? -1 : 1) * (hours * 60 + minutes);
  return f;
}

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
  const f = scan(text.trim());
  if (f === null) {
    return {
      ok: false,
      message: `"${text}" is not a date (YYYY-MM-DD) or ISO 8601 date-time`,
    };
  }
  if (f.month < 1 || f.month > 12) {
    return { ok: false, message: `"${text}" has no month ${f.month}` };
  }
  const monthDays = f.month === 2 && isLeapYear(f.year) ? 29 : DAYS_IN_MONTH[f.month - 1]!;
  if (f.day < 1 || f.day > monthDays) {
    const month = String(f.month).padStart(2, "0");
    return {
      ok: false,
      message: `"${text}" is not a real date (${f.year}-${month} has ${monthDays} days)`,
    };
  }
  if (f.hour > 23 || f.minute > 59 || f.second > 59) {
    return { ok: false, message: `"${text}" has an impossible time of day` };
  }
  if (f.year < 1000) {
    // Also keeps Date.UTC from reading years 0-99 as 1900-1999.
    return { ok: false, message: `"${text}" is outside the years 1000 to 9999` };
  }
  if (Number.isNaN(f.offset)) {
    return { ok: false, message: `"${text}" has an impossible UTC offset` };
  }
  const ms =
    Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millis) - f.offset * 60_000;
  if (ms < MIN_MS || ms > MAX_MS) {
    return { ok: false, message: `"${text}" is outside the years 1000 to 9999` };
  }
  return { ok: true, date: new Date(ms) };
}
