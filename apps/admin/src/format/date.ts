const formatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(locale: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withTime}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(
      locale,
      withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" },
    );
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Formats an ISO 8601 DateTime from the API in the viewer's time zone.
 *
 * @param iso - the DateTime string.
 * @param locale - a BCP 47 tag.
 * @param withTime - include hours and minutes.
 * @returns the localised date, or the input unchanged when it does not parse.
 */
export function formatDateTime(iso: string, locale: string, withTime = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateFormatter(locale, withTime).format(date);
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Formats the time of day of an ISO 8601 DateTime in the viewer's time zone.
 *
 * @param iso - the DateTime string.
 * @param locale - a BCP 47 tag.
 * @returns e.g. "1:57 PM"; the input unchanged when it does not parse.
 */
export function formatTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let formatter = timeFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { timeStyle: "short" });
    timeFormatters.set(locale, formatter);
  }
  return formatter.format(date);
}

/**
 * Whether two DateTimes fall on the same calendar day in the viewer's time zone.
 *
 * @param a - an ISO 8601 DateTime.
 * @param b - another.
 * @returns false when either does not parse.
 */
export function isSameLocalDay(a: string, b: string): boolean {
  const x = new Date(a);
  const y = new Date(b);
  if (Number.isNaN(x.getTime()) || Number.isNaN(y.getTime())) return false;
  return x.toDateString() === y.toDateString();
}
