import { describe, expect, it } from "vitest";
import { applyStandardization, fitStandardizer } from "./standardize";

describe("standardisation", () => {
  it("logs then z-scores each feature", () => {
    const points = Float64Array.of(0, 5, 9, 5, 99, 5);
    const t = fitStandardizer(points, 2);
    const z = applyStandardization(t, points);
    const col = (j: number): number[] => [z[j]!, z[2 + j]!, z[4 + j]!];
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(col(0))).toBeCloseTo(0, 12);
    expect(mean(col(0).map((x) => x * x))).toBeCloseTo(1, 12);
    // ln(1 + x): 0, ln 10, ln 100 are evenly spaced, so the middle one standardises to 0.
    expect(z[2]).toBeCloseTo(0, 12);
    // A constant feature keeps scale 1 and becomes 0.
    expect(t.scale[1]).toBe(1);
    expect(col(1)).toEqual([0, 0, 0]);
  });

  it("applies a stored transform to new points, and mirrors the log for negative values", () => {
    const t = { log: [true, false], mean: [0, 2], scale: [1, 2] };
    const z = applyStandardization(t, Float64Array.of(Math.E - 1, 4, -(Math.E - 1), 0));
    expect(Array.from(z).map((x) => Number(x.toFixed(12)))).toEqual([1, 1, -1, -1]);
  });

  it("logs only the features asked for", () => {
    const t = fitStandardizer(Float64Array.of(1, 1, 3, 3), 2, [false, true]);
    expect(t.mean).toEqual([2, (Math.log(2) + Math.log(4)) / 2]);
    expect(() => fitStandardizer(Float64Array.of(1, 2), 2, [true])).toThrow(
      /log has 1 flags for 2 features/,
    );
    expect(() => fitStandardizer(new Float64Array(0), 2)).toThrow(/no points/);
  });
});
