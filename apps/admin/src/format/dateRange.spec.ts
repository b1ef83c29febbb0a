import { describe, expect, it } from "vitest";
import { toDateRangeFilter } from "./dateRange";

describe("toDateRangeFilter", () => {
  it("covers the whole of both days in local time, ending before the next day", () => {
    const start = new Date(2024, 0, 5).getTime();
    const end = new Date(2024, 0, 7).getTime();
    const filter = toDateRangeFilter([start, end]);
    expect(filter.createdFrom).toBe(new Date(2024, 0, 5, 0, 0, 0, 0).toISOString());
    expect(filter.createdTo).toBe(new Date(2024, 0, 8).toISOString());
  });

  it("covers one full day when both ends are the same day", () => {
    const day = new Date(2024, 5, 1, 13, 30).getTime();
    const filter = toDateRangeFilter([day, day]);
    expect(filter.createdFrom).toBe(new Date(2024, 5, 1).toISOString());
    expect(filter.createdTo).toBe(new Date(2024, 5, 2).toISOString());
  });

  it("rolls over the end of a month and a year", () => {
    const day = new Date(2024, 11, 31).getTime();
    expect(toDateRangeFilter([day, day]).createdTo).toBe(new Date(2025, 0, 1).toISOString());
  });

  it("adds nothing without a range", () => {
    expect(toDateRangeFilter(null)).toEqual({});
  });
});
