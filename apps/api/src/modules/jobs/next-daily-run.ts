/**
 * The first instant strictly after `after` at which the wall clock in `timeZone` shows
 * `timeOfDay` ("HH:MM", 24-hour). On a day when that time does not exist (the clock jumps
 * forward over it), the run is as far past the jump as the time was meant to be (02:30 on a
 * day that skips 02:00–03:00 runs at 03:30); when it exists twice (the clock falls back), at
 * the first.
 *
 * @param after the instant to look after
 * @param timeOfDay "HH:MM", 00:00 to 23:59
 * @param timeZone an IANA zone, e.g. "Asia/Taipei" or "UTC"
 * @returns the next run
 * @throws {RangeError} for a malformed time or an unknown zone
 * @example
 * nextDailyRun(new Date("2026-03-01T20:00:00Z"), "02:00", "Asia/Taipei")
 * // => 2026-03-01T18:00:00.000Z is before `after`, so 2026-03-02T18:00:00.000Z
 */
export function nextDailyRun(after: Date, timeOfDay: string, timeZone: string): Date {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(timeOfDay);
  if (!match)
    throw new RangeError(`time of day must be HH:MM (00:00 to 23:59), got "${timeOfDay}"`);
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const parts = zonedParts(after, timeZone);
  for (let dayOffset = 0; dayOffset <= 2; dayOffset++) {
    const wall = Date.UTC(parts.year, parts.month - 1, parts.day + dayOffset, hour, minute);
    const candidate = wallToInstant(wall, timeZone);
    if (candidate.getTime() > after.getTime()) return candidate;
  }
  // Unreachable: two days on, the wall time is always later.
  throw new Error(`no next run found for ${timeOfDay} in ${timeZone}`);
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zonedParts(instant: Date, timeZone: string) {
  let format = formatters.get(timeZone);
  if (!format) {
    if (!isKnownTimeZone(timeZone)) throw new RangeError(`unknown time zone "${timeZone}"`);
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  const get = (type: string) =>
    Number(format.formatToParts(instant).find((part) => part.type === type)!.value);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
  };
}

/** Offset of `timeZone` from UTC at `instant`, in ms (wall clock minus UTC). */
function offsetAt(instant: number, timeZone: string): number {
  const p = zonedParts(new Date(instant), timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant whose wall clock in `timeZone` reads `wall` (a UTC-encoded wall time). */
function wallToInstant(wall: number, timeZone: string): Date {
  // The offset just before and just after the wall time; they differ only around a change.
  const early = wall - offsetAt(wall - 86_400_000 / 2, timeZone);
  const late = wall - offsetAt(wall + 86_400_000 / 2, timeZone);
  const earlyOk = early + offsetAt(early, timeZone) === wall;
  const lateOk = late + offsetAt(late, timeZone) === wall;
  if (earlyOk && lateOk) return new Date(Math.min(early, late));
  if (earlyOk) return new Date(early);
  if (lateOk) return new Date(late);
  // The wall time does not exist (skipped by a jump forward): read with the offset before the
  // jump, it lands as far after the jump as it was meant to be after the skipped hour's start.
  return new Date(Math.max(early, late));
}
