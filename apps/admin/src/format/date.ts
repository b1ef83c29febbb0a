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
