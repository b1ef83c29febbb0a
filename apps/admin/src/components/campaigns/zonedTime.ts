// The schedule is written as a wall-clock time in the campaign's time zone ("start at 09:00 in
// Asia/Taipei"), while the date picker works in the browser's zone and the API takes instants.
// These convert between the picker's value and the instant, through Intl (no zone database).

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(ms: number, timeZone: string): number[] {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  const get = (type: string) =>
    Number(formatter!.formatToParts(new Date(ms)).find((p) => p.type === type)?.value ?? 0);
  return [get("year"), get("month"), get("day"), get("hour"), get("minute"), get("second")];
}

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `ms`, in ms. */
export function zoneOffset(ms: number, timeZone: string): number {
  const [y, mo, d, h, mi, s] = partsIn(ms, timeZone);
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - (ms - (((ms % 1000) + 1000) % 1000));
}

/** Whether the runtime knows the zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant at which `timeZone` shows the wall-clock time that the date picker's value
 * (epoch ms, read in the browser's zone) shows locally.
 *
 * @example
 * // picker shows 2026-03-01 09:00 → the instant 09:00 in Taipei is 01:00Z
 * pickerToInstant(new Date(2026, 2, 1, 9).getTime(), "Asia/Taipei") // "2026-03-01T01:00:00.000Z"
 */
export function pickerToInstant(pickerMs: number, timeZone: string): string {
  const local = new Date(pickerMs);
  const wall = Date.UTC(
    local.getFullYear(),
    local.getMonth(),
    local.getDate(),
    local.getHours(),
    local.getMinutes(),
  );
  // Twice: the offset at the first guess may differ from the offset at the answer (DST).
  let instant = wall - zoneOffset(wall, timeZone);
  instant = wall - zoneOffset(instant, timeZone);
  return new Date(instant).toISOString();
}

/** The date picker value (browser zone) that shows the instant's wall-clock time in `timeZone`. */
export function instantToPicker(iso: string, timeZone: string): number {
  const [y, mo, d, h, mi] = partsIn(Date.parse(iso), timeZone);
  return new Date(y!, mo! - 1, d!, h!, mi!).getTime();
}

/** The instant as a date and time in `timeZone`, e.g. "2026-03-01 09:00". */
export function formatInZone(iso: string, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
}
