import { fmScore, type Score } from "@valuetier/domain";

/** One cell of the R × FM grid: recency score and the combined frequency-monetary score. */
export interface RfmGridCell {
  r: number;
  fm: number;
  customers: number;
}

/**
 * Folds counts per (R, F, M) into the 25 cells of the R × FM grid, every cell present (zero
 * when empty), R then FM ascending. Rows with a score outside 1 to 5 are not placed.
 *
 * @param rows counts per recency, frequency and monetary score.
 * @returns 25 cells.
 * @example
 * rfmGrid([{ r: 5, f: 4, m: 5, customers: 2 }]).find((c) => c.r === 5 && c.fm === 5); // { r: 5, fm: 5, customers: 2 }
 */
export function rfmGrid(
  rows: readonly { r: number; f: number; m: number; customers: number }[],
): RfmGridCell[] {
  const cells: RfmGridCell[] = [];
  for (let r = 1; r <= 5; r++) for (let fm = 1; fm <= 5; fm++) cells.push({ r, fm, customers: 0 });
  for (const row of rows) {
    // The groups' own FM (the mean of F and M rounded half up), so cells match the group rules.
    const fm = fmScore(row.f as Score, row.m as Score);
    const cell = cells[(row.r - 1) * 5 + (fm - 1)];
    if (row.r >= 1 && row.r <= 5 && fm >= 1 && fm <= 5 && cell) cell.customers += row.customers;
  }
  return cells;
}
