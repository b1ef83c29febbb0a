import type { GammaGammaParams } from "./bg-nbd-params";
import { ClvError } from "./clv-error";

/**
 * Expected mean transaction value of a customer given their history (Fader & Hardie note 025,
 * eq. 5; FHL 2005 "RFM and CLV", eq. 4): a weighted average of the population mean pv/(q−1)
 * and the customer's own mean m̄,
 *
 *     E[M | x, m̄] = (q−1)/(px+q−1) · pv/(q−1) + px/(px+q−1) · m̄
 *
 * For x = 0 this is the population mean. The result is a statistical estimate in currency
 * units (a float), not a stored amount.
 *
 * @param params p, q, v with q > 1.
 * @param frequency x, repeat transactions.
 * @param monetary m̄, mean repeat spend (ignored when x = 0).
 * @returns E[M | x, m̄].
 * @throws {ClvError} GAMMA_GAMMA_Q_NOT_ABOVE_ONE when q ≤ 1.
 * @example
 * gammaGammaExpectedSpend({ p: 6.25, q: 3.74, v: 15.44 }, 2, 22.35); // 24.66
 */
export function gammaGammaExpectedSpend(
  params: GammaGammaParams,
  frequency: number,
  monetary: number,
): number {
  const { p, q, v } = params;
  if (!(q > 1)) {
    throw new ClvError("GAMMA_GAMMA_Q_NOT_ABOVE_ONE", `E[M] needs q > 1 (got q = ${q})`, {
      field: "q",
    });
  }
  const px = p * frequency;
  const populationMean = (p * v) / (q - 1);
  if (frequency === 0) return populationMean;
  return ((q - 1) / (px + q - 1)) * populationMean + (px / (px + q - 1)) * monetary;
}
