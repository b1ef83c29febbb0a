import { describe, expect, it } from "vitest";
import { daysBetween, humanDuration } from "./duration";

describe("humanDuration", () => {
  it("picks the unit a person would say", () => {
    expect(humanDuration(1)).toEqual({ unit: "day", count: 1 });
    expect(humanDuration(10)).toEqual({ unit: "day", count: 10 });
    expect(humanDuration(21)).toEqual({ unit: "week", count: 3 });
    expect(humanDuration(25)).toEqual({ unit: "week", count: 4 });
    expect(humanDuration(30)).toEqual({ unit: "month", count: 1 });
    expect(humanDuration(90)).toEqual({ unit: "month", count: 3 });
    expect(humanDuration(426)).toEqual({ unit: "month", count: 14 });
    expect(humanDuration(800)).toEqual({ unit: "year", count: 2 });
    expect(humanDuration(3650)).toEqual({ unit: "year", count: 10 });
  });

  it("does not fall back to one of a larger unit at a boundary", () => {
    expect(humanDuration(13.6)).toEqual({ unit: "week", count: 2 });
    expect(humanDuration(61)).toEqual({ unit: "month", count: 2 });
    expect(humanDuration(731)).toEqual({ unit: "year", count: 2 });
  });

  it("treats zero and negative lengths as zero days", () => {
    expect(humanDuration(0)).toEqual({ unit: "day", count: 0 });
    expect(humanDuration(-3)).toEqual({ unit: "day", count: 0 });
  });
});

describe("daysBetween", () => {
  it("counts whole days", () => {
    expect(daysBetween("2024-01-01T00:00:00Z", "2024-01-22T00:00:00Z")).toBe(21);
    expect(daysBetween("2024-01-01T18:00:00Z", "2024-01-02T00:00:00Z")).toBe(0);
  });

  it("is never negative and null for what does not parse", () => {
    expect(daysBetween("2024-02-01T00:00:00Z", "2024-01-01T00:00:00Z")).toBe(0);
    expect(daysBetween("soon", "2024-01-01T00:00:00Z")).toBeNull();
  });
});
