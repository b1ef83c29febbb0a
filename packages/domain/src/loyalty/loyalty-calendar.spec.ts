import { describe, expect, it } from "vitest";
import { DAY_MS, capPeriodStart, pointsExpireAt } from "./loyalty-calendar";

describe("pointsExpireAt", () => {
  const jan15 = Date.UTC(2026, 0, 15, 10, 30);

  it("counts rolling days from the instant of earning", () => {
    expect(pointsExpireAt({ kind: "rolling", days: 365 }, jan15)).toBe(jan15 + 365 * DAY_MS);
    expect(pointsExpireAt({ kind: "none" }, jan15)).toBeNull();
  });

  it("ends calendar expiry at the first instant after the Nth month's end (UTC)", () => {
    const month = (count: number, at: number): string =>
      new Date(pointsExpireAt({ kind: "calendar", unit: "month", count }, at)!).toISOString();
    expect(month(0, jan15)).toBe("2026-02-01T00:00:00.000Z");
    expect(month(1, jan15)).toBe("2026-03-01T00:00:00.000Z");
    // Earned on the last day of a month: still that month's end, not one a day later.
    expect(month(1, Date.UTC(2026, 0, 31, 23, 59, 59, 999))).toBe("2026-03-01T00:00:00.000Z");
    // Across a year end.
    expect(month(1, Date.UTC(2026, 11, 1))).toBe("2027-02-01T00:00:00.000Z");
    expect(month(14, Date.UTC(2026, 11, 1))).toBe("2028-03-01T00:00:00.000Z");
  });

  it("ends yearly expiry at the end of the Nth year after earning", () => {
    const year = (count: number): string =>
      new Date(pointsExpireAt({ kind: "calendar", unit: "year", count }, jan15)!).toISOString();
    expect(year(0)).toBe("2027-01-01T00:00:00.000Z");
    expect(year(1)).toBe("2028-01-01T00:00:00.000Z");
  });

  it("refuses an instant that is not whole milliseconds", () => {
    expect(() => pointsExpireAt({ kind: "none" }, Number.NaN)).toThrow(
      expect.objectContaining({ code: "INVALID_TIME", field: "earnedAt" }),
    );
  });
});

describe("capPeriodStart", () => {
  const at = Date.UTC(2028, 1, 29, 13, 45);
  it("starts the calendar periods in UTC and the rolling one N days back", () => {
    expect(capPeriodStart({ kind: "day" }, at)).toBe(Date.UTC(2028, 1, 29));
    expect(capPeriodStart({ kind: "month" }, at)).toBe(Date.UTC(2028, 1, 1));
    expect(capPeriodStart({ kind: "year" }, at)).toBe(Date.UTC(2028, 0, 1));
    expect(capPeriodStart({ kind: "rolling_days", days: 30 }, at)).toBe(at - 30 * DAY_MS);
  });
});
