/** One lot change of a ledger entry, as answered. */
export interface LotChangeValue {
  lot: number;
  lotKind: string;
  lotSource: string;
  points: number;
}

/**
 * Points with their sign, as the ledger shows them: "+120", "−40", "0".
 *
 * @param points - a signed whole number.
 * @param count - the locale's number formatter.
 * @returns the signed text (a real minus sign).
 */
export function signedPoints(points: number, count: (n: number) => string): string {
  if (points > 0) return `+${count(points)}`;
  if (points < 0) return `−${count(-points)}`;
  return count(0);
}

/**
 * The lots an entry changed, biggest change first within the order the API gave, each as
 * "lot 3 (order:17) −40"; the debt lot (number 0) by its own label.
 *
 * @param lots - the entry's lot changes.
 * @param label - the translated name of a lot by number, and of the debt lot.
 * @param count - the locale's number formatter.
 * @returns one line per lot.
 */
export function lotLines(
  lots: readonly LotChangeValue[],
  label: { lot: (n: number) => string; debt: string },
  count: (n: number) => string,
): string[] {
  return lots.map((change) => {
    const name = change.lotKind === "debt" || change.lot === 0 ? label.debt : label.lot(change.lot);
    return `${name} (${change.lotSource}) ${signedPoints(change.points, count)}`;
  });
}
