import { describe, expect, it } from "vitest";
import {
  isCalendarDate,
  resolveDateLiteral,
  shiftCalendarDate,
  utcDay,
} from "./segment-relative-date";

describe("shiftCalendarDate", () => {
  it("moves by days and weeks exactly", () => {
    expect(shiftCalendarDate("2024-01-10", -90, "d")).toBe("2023-10-12");
    expect(shiftCalendarDate("2024-02-28", 1, "d")).toBe("2024-02-29");
    expect(shiftCalendarDate("2023-02-28", 1, "d")).toBe("2023-03-01");
    expect(shiftCalendarDate("2024-06-15", -12, "w")).toBe("2024-03-23");
    expect(shiftCalendarDate("2024-12-31", 30, "d")).toBe("2025-01-30");
    expect(shiftCalendarDate("2024-06-15", 0, "d")).toBe("2024-06-15");
  });

  it("moves by calendar months and years, clamped at the month's end", () => {
    expect(shiftCalendarDate("2024-05-31", -6, "m")).toBe("2023-11-30");
    expect(shiftCalendarDate("2024-03-31", -1, "m")).toBe("2024-02-29");
    expect(shiftCalendarDate("2023-03-31", -1, "m")).toBe("2023-02-28");
    expect(shiftCalendarDate("2024-01-31", 1, "m")).toBe("2024-02-29");
    expect(shiftCalendarDate("2024-01-15", -13, "m")).toBe("2022-12-15");
    expect(shiftCalendarDate("2024-02-29", -1, "y")).toBe("2023-02-28");
    expect(shiftCalendarDate("2024-02-29", 4, "y")).toBe("2028-02-29");
    expect(shiftCalendarDate("2000-02-29", 100, "y")).toBe("2100-02-28");
  });

  it("handles the first centuries, which Date.UTC would move to the 1900s", () => {
    expect(shiftCalendarDate("0050-03-01", -1, "d")).toBe("0050-02-28");
    expect(shiftCalendarDate("0001-01-01", 0, "m")).toBe("0001-01-01");
  });

  it("agrees with Date for every day of four years", () => {
    let day = Date.UTC(2023, 0, 1);
    for (let i = 0; i < 1461; i++, day += 86_400_000) {
      const iso = new Date(day).toISOString().slice(0, 10);
      expect(shiftCalendarDate("2023-01-01", i, "d")).toBe(iso);
      expect(shiftCalendarDate(iso, -i, "d")).toBe("2023-01-01");
    }
  });

  it("refuses bad days, fractional amounts and years outside 0001–9999", () => {
    expect(() => shiftCalendarDate("2023-02-29", 1, "d")).toThrow(RangeError);
    expect(() => shiftCalendarDate("2024-01-01", 1.5, "d")).toThrow(RangeError);
    expect(() => shiftCalendarDate("0001-01-01", -1, "d")).toThrow(/0001–9999/);
    expect(() => shiftCalendarDate("9999-12-31", 1, "m")).toThrow(/0001–9999/);
  });
});

describe("isCalendarDate", () => {
  it("accepts real days only", () => {
    expect(isCalendarDate("2024-02-29")).toBe(true);
    expect(isCalendarDate("2000-02-29")).toBe(true);
    expect(isCalendarDate("1900-02-29")).toBe(false);
    expect(isCalendarDate("2023-02-29")).toBe(false);
    expect(isCalendarDate("2024-04-31")).toBe(false);
    expect(isCalendarDate("2024-13-01")).toBe(false);
    expect(isCalendarDate("0000-01-01")).toBe(false);
    expect(isCalendarDate("2024-1-01")).toBe(false);
    expect(isCalendarDate("2024-01-01T00:00")).toBe(false);
  });
});

describe("resolveDateLiteral", () => {
  it("resolves today, relative dates and plain dates", () => {
    expect(resolveDateLiteral({ type: "today" }, "2024-08-31")).toBe("2024-08-31");
    expect(resolveDateLiteral({ type: "relativeDate", amount: -6, unit: "m" }, "2024-08-31")).toBe(
      "2024-02-29",
    );
    expect(resolveDateLiteral({ type: "relativeDate", amount: 30, unit: "d" }, "2024-08-31")).toBe(
      "2024-09-30",
    );
    expect(resolveDateLiteral({ type: "date", value: "2020-01-01" }, "2024-08-31")).toBe(
      "2020-01-01",
    );
  });

  it("refuses literals that are not dates", () => {
    expect(() => resolveDateLiteral({ type: "number", value: "3" }, "2024-08-31")).toThrow(
      RangeError,
    );
    expect(() => resolveDateLiteral({ type: "date", value: "2024-02-30" }, "2024-08-31")).toThrow(
      RangeError,
    );
  });
});

describe("utcDay", () => {
  it("takes the UTC day of a Date", () => {
    expect(utcDay(new Date("2024-03-01T23:30:00-05:00"))).toBe("2024-03-02");
    expect(utcDay(new Date("1969-12-31T23:59:59.999Z"))).toBe("1969-12-31");
    expect(utcDay("2024-03-01")).toBe("2024-03-01");
    expect(() => utcDay(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => utcDay("2024-3-1")).toThrow(RangeError);
  });
});
