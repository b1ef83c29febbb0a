import type { BgNbdParams } from "./bg-nbd-params";
import { ClvError } from "./clv-error";

/** One customer's calibration history: x, t_x and T in the model's time unit. */
export interface PurchaseHistory {
  frequency: number;
  recency: number;
  T: number;
}

/** Throws a ClvError unless all four parameters are positive finite numbers. */
export function assertBgNbdParams(params: BgNbdParams): void {
  for (const name of ["r", "alpha", "a", "b"] as const) {
    const v = params[name];
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new ClvError(
        "INVALID_PARAMETER",
        `BG/NBD parameter ${name} must be a positive number (got ${v})`,
        {
          field: name,
        },
      );
    }
  }
}

/** Throws a ClvError unless the history is a valid (x, t_x, T). */
export function assertHistory(history: PurchaseHistory): void {
  const { frequency: x, recency: tx, T } = history;
  if (![x, tx, T].every(Number.isFinite) || !Number.isInteger(x) || x < 0 || tx < 0 || tx > T) {
    throw new ClvError(
      "INVALID_SUMMARY",
      `purchase history must have a whole frequency ≥ 0 and 0 ≤ recency ≤ T (got x=${x}, t_x=${tx}, T=${T})`,
    );
  }
}

/**
 * ln of the odds term δ · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x) shared by P(alive) and E[Y(t)]
 * (FHL 2005 eqs. 10 and 13); −∞ when x = 0.
 */
export function logDeathOdds(params: BgNbdParams, history: PurchaseHistory): number {
  const { r, alpha, a, b } = params;
  const { frequency: x, recency: tx, T } = history;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}
