/** The CLV and P(alive) part of `CustomerFilter`. */
export interface ValueFilter {
  clvMin?: string;
  clvMax?: string;
  pAliveMin?: number;
  pAliveMax?: number;
}

/** A P(alive) range as the slider holds it: whole percentages, [0, 100] meaning "any". */
export type PercentRange = readonly [number, number];

export const ANY_P_ALIVE: PercentRange = [0, 100];

// CLV can be negative (historical value minus CAC), so a sign is allowed; the API checks the
// currency's number of decimals.
const AMOUNT = /^-?\d+(\.\d+)?$/;

/**
 * Whether a CLV bound as typed can be sent: empty (no bound) or a plain decimal amount.
 *
 * @param text - the input's text.
 * @returns true when empty or valid.
 */
export function isValidAmountBound(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === "" || AMOUNT.test(trimmed);
}

/**
 * Turns the CLV inputs and the P(alive) slider into the API's filter fields. Empty or
 * malformed amounts and the slider's open ends (0 % and 100 %) add no condition; the API
 * filters on the current scoring run, so customers without a value drop out of a bounded range.
 *
 * @param clvMin - "CLV from" as typed, e.g. "100" or "99.50".
 * @param clvMax - "CLV to" as typed.
 * @param pAlive - the slider's [low, high] in whole percent.
 * @returns the filter fields to spread into `CustomerFilter`.
 * @example
 * toValueFilter("100", "", [50, 100]) // { clvMin: "100", pAliveMin: 0.5 }
 */
export function toValueFilter(clvMin: string, clvMax: string, pAlive: PercentRange): ValueFilter {
  const filter: ValueFilter = {};
  const min = clvMin.trim();
  const max = clvMax.trim();
  if (min !== "" && AMOUNT.test(min)) filter.clvMin = min;
  if (max !== "" && AMOUNT.test(max)) filter.clvMax = max;
  const [low, high] = pAlive[0] <= pAlive[1] ? pAlive : [pAlive[1], pAlive[0]];
  if (low > 0) filter.pAliveMin = Math.min(100, low) / 100;
  if (high < 100) filter.pAliveMax = Math.max(0, high) / 100;
  return filter;
}
