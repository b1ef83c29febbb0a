import { describe, expect, it } from "vitest";
import { DAYS_PER_MONTH } from "../clv";
import { monthlyRetention, retentionWindows } from "./monthly-retention";

describe("retentionWindows", () => {
  it("compares the last year with the year before", () => {
    expect(retentionWindows(0, 1000)).toEqual({
      previousStart: 271,
      lastStart: 636,
      end: 1000,
      days: 365,
    });
  });

  it("splits shorter data in halves and refuses under two months", () => {
    expect(retentionWindows(0, 99)).toEqual({ previousStart: 0, lastStart: 50, end: 99, days: 50 });
    expect(retentionWindows(0, 58)).toBeNull();
  });
});

describe("monthlyRetention", () => {
  it("compounds to the measured rate over the window", () => {
    const r = monthlyRetention(1000, 531, 365)!;
    expect(Math.pow(r, 365 / DAYS_PER_MONTH)).toBeCloseTo(0.531, 12);
    expect(r).toBeCloseTo(0.94863, 4);
  });

  it("is 1 when everyone came back and 0 when nobody did", () => {
    expect(monthlyRetention(10, 10, 365)).toBe(1);
    expect(monthlyRetention(10, 0, 365)).toBe(0);
  });

  it("is unknown without customers in the earlier window, and refuses impossible counts", () => {
    expect(monthlyRetention(0, 0, 365)).toBeNull();
    expect(() => monthlyRetention(5, 6, 365)).toThrow(RangeError);
    expect(() => monthlyRetention(5, -1, 365)).toThrow(RangeError);
    expect(() => monthlyRetention(5, 2, 0)).toThrow(RangeError);
  });
});
