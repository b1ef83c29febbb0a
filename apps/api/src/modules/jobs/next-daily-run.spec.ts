import { describe, expect, it } from "vitest";
import { isKnownTimeZone, nextDailyRun } from "./next-daily-run";

describe("nextDailyRun", () => {
  it("gives today's time when it is still ahead, in the zone's wall clock", () => {
    // 02:00 in Taipei (UTC+8) is 18:00 UTC the day before.
    expect(nextDailyRun(new Date("2026-03-01T10:00:00Z"), "02:00", "Asia/Taipei")).toEqual(
      new Date("2026-03-01T18:00:00Z"),
    );
  });

  it("gives tomorrow's when today's has passed, or is exactly now", () => {
    expect(nextDailyRun(new Date("2026-03-01T18:00:00Z"), "02:00", "Asia/Taipei")).toEqual(
      new Date("2026-03-02T18:00:00Z"),
    );
    expect(nextDailyRun(new Date("2026-03-01T23:59:00Z"), "00:00", "UTC")).toEqual(
      new Date("2026-03-02T00:00:00Z"),
    );
  });

  it("follows daylight saving time: the same wall time on both sides of a change", () => {
    // New York: EST (UTC−5) until 2026-03-08 02:00, then EDT (UTC−4).
    expect(nextDailyRun(new Date("2026-03-07T12:00:00Z"), "06:00", "America/New_York")).toEqual(
      new Date("2026-03-08T10:00:00Z"),
    );
    expect(nextDailyRun(new Date("2026-03-06T12:00:00Z"), "06:00", "America/New_York")).toEqual(
      new Date("2026-03-07T11:00:00Z"),
    );
  });

  it("runs a time the clock skips as far past the jump, and a repeated time at the first", () => {
    // 02:30 does not exist on 2026-03-08 in New York: 03:30 EDT.
    expect(nextDailyRun(new Date("2026-03-08T05:00:00Z"), "02:30", "America/New_York")).toEqual(
      new Date("2026-03-08T07:30:00Z"),
    );
    // 01:30 happens twice on 2026-11-01 (EDT, then EST): the first, 05:30 UTC.
    expect(nextDailyRun(new Date("2026-11-01T04:00:00Z"), "01:30", "America/New_York")).toEqual(
      new Date("2026-11-01T05:30:00Z"),
    );
  });

  it("refuses a malformed time or an unknown zone, saying which", () => {
    expect(() => nextDailyRun(new Date(), "2:00", "UTC")).toThrow(
      'time of day must be HH:MM (00:00 to 23:59), got "2:00"',
    );
    expect(() => nextDailyRun(new Date(), "24:00", "UTC")).toThrow(RangeError);
    expect(() => nextDailyRun(new Date(), "02:00", "Nowhere/Land")).toThrow(
      'unknown time zone "Nowhere/Land"',
    );
    expect(isKnownTimeZone("Europe/Berlin")).toBe(true);
    expect(isKnownTimeZone("Nowhere/Land")).toBe(false);
  });

  it("does not change the instant it is given", () => {
    const after = new Date("2026-03-01T10:00:00Z");
    nextDailyRun(after, "02:00", "Asia/Taipei");
    expect(after.toISOString()).toBe("2026-03-01T10:00:00.000Z");
  });
});
