import { hyp2f1 } from "../math";
import {
  assertBgNbdParams,
  assertHistory,
  logDeathOdds,
  type PurchaseHistory,
} from "./bg-nbd-history";
import type { BgNbdParams } from "./bg-nbd-params";
import { ClvError } from "./clv-error";

/**
 * Expected number of purchases in the next t time units for a customer with history
 * (x, t_x, T), FHL 2005 eq. (10):
 *
 *     E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1)
 *         · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *         / (1 + [x>0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))
 *
 * The product of the power and 2F1 is computed as 2F1(r+x, a−1; a+b+x−1; −t/(α+T)) (Pfaff's
 * transformation, A&S 15.3.4), which is equal and stays finite for heavy buyers, where the
 * power underflows and the series overflows.
 *
 * @param params fitted BG/NBD parameters (a ≠ 1).
 * @param history x, t_x, T.
 * @param t forecast horizon (≥ 0) in the model's time unit.
 * @returns E[Y(t)] ≥ 0.
 * @throws {ClvError} INVALID_PARAMETER for a negative t or a = 1; INVALID_SUMMARY for a bad
 *   history.
 * @example
 * bgNbdConditionalExpectedPurchases(cdnowParams, { frequency: 2, recency: 30.43, T: 38.86 }, 39); // 1.226
 */
export function bgNbdConditionalExpectedPurchases(
  params: BgNbdParams,
  history: PurchaseHistory,
  t: number,
): number {
  assertBgNbdParams(params);
  assertHistory(history);
  if (!(t >= 0) || !Number.isFinite(t)) {
    throw new ClvError("INVALID_PARAMETER", `forecast horizon t must be ≥ 0 (got ${t})`, {
      field: "t",
    });
  }
  const { r, alpha, a, b } = params;
  if (a === 1) {
    throw new ClvError("INVALID_PARAMETER", "E[Y(t)] is undefined at a = 1 in this closed form", {
      field: "a",
    });
  }
  if (t === 0) return 0;
  const x = history.frequency;
  const tail = hyp2f1(r + x, a - 1, a + b + x - 1, -t / (alpha + history.T));
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - tail);
  const logOdds = logDeathOdds(params, history);
  // numerator / (1 + e^logOdds), written to avoid overflow for large odds.
  if (logOdds > 0) return (numerator * Math.exp(-logOdds)) / (1 + Math.exp(-logOdds));
  return numerator / (1 + Math.exp(logOdds));
}
