import { hyp2f1 } from "../math";
import { assertBgNbdParams } from "./bg-nbd-history";
import type { BgNbdParams } from "./bg-nbd-params";
import { ClvError } from "./clv-error";

/**
 * Expected number of repeat purchases of a new customer in (0, t], FHL 2005 eq. (9):
 *
 *     E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))]
 *
 * with the power-times-2F1 product evaluated as 2F1(r, a−1; a+b−1; −t/α) (Pfaff).
 *
 * @param params BG/NBD parameters (a ≠ 1).
 * @param t time since the first purchase, ≥ 0.
 * @returns E[X(t)].
 * @throws {ClvError} INVALID_PARAMETER for t < 0 or a = 1.
 * @example
 * bgNbdExpectedPurchases(cdnowParams, 39); // 1.197
 */
export function bgNbdExpectedPurchases(params: BgNbdParams, t: number): number {
  assertBgNbdParams(params);
  if (!(t >= 0) || !Number.isFinite(t)) {
    throw new ClvError("INVALID_PARAMETER", `time t must be ≥ 0 (got ${t})`, { field: "t" });
  }
  const { r, alpha, a, b } = params;
  if (a === 1)
    throw new ClvError("INVALID_PARAMETER", "E[X(t)] is undefined at a = 1 in this closed form", {
      field: "a",
    });
  if (t === 0) return 0;
  return ((a + b - 1) / (a - 1)) * (1 - hyp2f1(r, a - 1, a + b - 1, -t / alpha));
}
