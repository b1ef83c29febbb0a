import { describe, expect, it } from "vitest";
import { movementMatrix, rfmHeatmapOption } from "./valueDistribution";

describe("movementMatrix", () => {
  const order = ["high", "mid", "low"];

  it("lays the moves out in tier order and counts ups, downs and stays", () => {
    const m = movementMatrix(
      [
        { from: "high", to: "high", customers: 3 },
        { from: "high", to: "low", customers: 2 },
        { from: "low", to: "mid", customers: 5 },
        { from: null, to: "mid", customers: 4 },
        { from: "gone", to: "low", customers: 1 },
      ],
      order,
    );
    expect(m.rows).toEqual(["high", "mid", "low", "gone", null]);
    expect(m.columns).toEqual(["high", "mid", "low"]);
    expect(m.counts).toEqual([
      [3, 0, 2],
      [0, 0, 0],
      [0, 5, 0],
      [0, 0, 1],
      [0, 4, 0],
    ]);
    expect({ up: m.up, down: m.down, same: m.same }).toEqual({ up: 5, down: 2, same: 3 });
    const total = m.counts.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(15);
  });

  it("is all zeros with no moves", () => {
    const m = movementMatrix([], order);
    expect(m.rows).toEqual(order);
    expect(m.counts.flat().every((n) => n === 0)).toBe(true);
  });
});

describe("rfmHeatmapOption", () => {
  it("places each cell at (FM − 1, R − 1) with its count", () => {
    const option = rfmHeatmapOption(
      [
        { r: 5, fm: 1, customers: 7 },
        { r: 1, fm: 5, customers: 2 },
      ],
      { recency: "R", fm: "FM", customers: "customers", count: String },
    );
    const series = (option.series as { data: number[][] }[])[0]!;
    expect(series.data).toEqual([
      [0, 4, 7],
      [4, 0, 2],
    ]);
    expect((option.visualMap as { max: number }).max).toBe(7);
  });
});
