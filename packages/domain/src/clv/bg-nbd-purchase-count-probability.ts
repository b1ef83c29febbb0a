import { betaln, gammaln } from "../math";
import { assertBgNbdParams } from "./bg-nbd-history";
import type { BgNbdParams } from "./bg-nbd-params";
import { ClvError } from "./clv-error";

/**
 * Probability that a new customer makes exactly n repeat purchases in (0, t], FHL 2005 eq. (8):
 *
 *     P(X(t) = n) = B(a, b+n)/B(a, b) · Γ(r+n)/(Γ(r) n!) · (α/(α+t))^r (t/(α+t))^n
 *        + [n>0] · B(a+1, b+n−1)/B(a, b)
 *            · [1 − (α/(α+t))^r Σ_{j=0}^{n−1} Γ(r+j)/(Γ(r) j!) (t/(α+t))^j]
 *
 * All factors are evaluated in log space.
 *
 * @param params BG/NBD parameters.
 * @param t length of the period, ≥ 0.
 * @param n number of purchases, a whole number ≥ 0.
 * @returns P(X(t) = n).
 * @throws {ClvError} INVALID_PARAMETER for a negative t or a non-integer n.
 * @example
 * bgNbdPurchaseCountProbability(cdnowParams, 39, 0); // 0.574 (most customers never return)
 */
export function bgNbdPurchaseCountProbability(params: BgNbdParams, t: number, n: number): number {
  assertBgNbdParams(params);
  if (!(t >= 0) || !Number.isFinite(t)) {
    throw new ClvError("INVALID_PARAMETER", `time t must be ≥ 0 (got ${t})`, { field: "t" });
  }
  if (!Number.isInteger(n) || n < 0) {
    throw new ClvError(
      "INVALID_PARAMETER",
      `purchase count n must be a whole number ≥ 0 (got ${n})`,
      { field: "n" },
    );
  }
  if (t === 0) return n === 0 ? 1 : 0;
  const { r, alpha, a, b } = params;
  const logBab = betaln(a, b);
  const logShare = Math.log(alpha / (alpha + t));
  const logRate = Math.log(t / (alpha + t));
  // ln of the NBD term Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j
  const lgR = gammaln(r);
  const logNbd = (j: number): number =>
    gammaln(r + j) - lgR - gammaln(j + 1) + r * logShare + j * logRate;
  let probability = Math.exp(betaln(a, b + n) - logBab + logNbd(n));
  if (n > 0) {
    let cumulative = 0;
    for (let j = 0; j < n; j++) cumulative += Math.exp(logNbd(j));
    probability += Math.exp(betaln(a + 1, b + n - 1) - logBab) * Math.max(0, 1 - cumulative);
  }
  return probability;
}
