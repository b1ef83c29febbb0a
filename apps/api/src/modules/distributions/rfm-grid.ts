/** One cell of the R × FM grid: recency score and the combined frequency-monetary score. */
export interface RfmGridCell {
  r: number;
  fm: number;
  customers: number;
}

/**
 * The combined frequency-monetary score of the R × FM grid: the mean of F and M rounded half
 * up, so F 4 and M 5 land in FM 5 and F 1 and M 2 in FM 2.
 *
 * @param f frequency score, 1 to 5.
 * @param m monetary score, 1 to 5.
 * @returns the FM score, 1 to 5.
 * @example
 * fmScore(4, 5); // 5
 * fmScore(3, 3); // 3
 */
export function fmScore(f: number, m: number): number {
  return Math.floor((f + m + 1) / 2);
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
    const fm = fmScore(row.f, row.m);
    const cell = cells[(row.r - 1) * 5 + (fm - 1)];
    if (row.r >= 1 && row.r <= 5 && fm >= 1 && fm <= 5 && cell) cell.customers += row.customers;
  }
  return cells;
}
