import { describe, expect, it } from "vitest";
import { rfmGrid } from "./rfm-grid";

describe("rfmGrid", () => {
  it("folds (R, F, M) counts into 25 cells, R then FM ascending", () => {
    // FM is the mean of F and M rounded half up: (4, 5) and (5, 4) → 5, (1, 2) → 2.
    const rows = [
      { r: 2, f: 1, m: 2, customers: 1 },
      { r: 5, f: 4, m: 5, customers: 2 },
      { r: 5, f: 5, m: 4, customers: 3 },
      { r: 1, f: 1, m: 1, customers: 7 },
    ];
    const copy = JSON.parse(JSON.stringify(rows)) as typeof rows;
    const grid = rfmGrid(rows);
    expect(grid).toHaveLength(25);
    expect(grid[0]).toEqual({ r: 1, fm: 1, customers: 7 });
    expect(grid[24]).toEqual({ r: 5, fm: 5, customers: 5 });
    expect(grid[6]).toEqual({ r: 2, fm: 2, customers: 1 });
    expect(grid.reduce((sum, c) => sum + c.customers, 0)).toBe(13);
    expect(rows).toEqual(copy);
  });

  it("has every cell at zero for no rows and places no out-of-range score", () => {
    expect(rfmGrid([]).every((c) => c.customers === 0)).toBe(true);
    const grid = rfmGrid([
      { r: 0, f: 3, m: 3, customers: 4 },
      { r: 6, f: 1, m: 1, customers: 1 },
    ]);
    expect(grid.reduce((sum, c) => sum + c.customers, 0)).toBe(0);
  });
});
