import {
  assertBgNbdParams,
  assertHistory,
  logDeathOdds,
  type PurchaseHistory,
} from "./bg-nbd-history";
import type { BgNbdParams } from "./bg-nbd-params";

/**
 * Probability that a customer is still active at the end of calibration, FHL 2005 eq. (13):
 *
 *     P(alive | x, t_x, T) = 1 / (1 + [x>0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))
 *
 * evaluated as a logistic function of the log-odds so that large exponents do not overflow.
 * A customer without repeat purchases is alive with probability 1 under BG/NBD (they cannot
 * have dropped out: dropout happens only right after a repeat purchase).
 *
 * @param params fitted BG/NBD parameters.
 * @param history x, t_x, T.
 * @returns P(alive) in (0, 1].
 * @throws {ClvError} INVALID_PARAMETER / INVALID_SUMMARY for invalid input.
 * @example
 * bgNbdProbabilityAlive({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, { frequency: 2, recency: 30.43, T: 38.86 }); // 0.7266
 */
export function bgNbdProbabilityAlive(params: BgNbdParams, history: PurchaseHistory): number {
  assertBgNbdParams(params);
  assertHistory(history);
  const logOdds = logDeathOdds(params, history);
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}
