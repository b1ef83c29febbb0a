import { digamma, gammaln } from "../math";
import type { BgNbdParams } from "./bg-nbd-params";
import type { WeightedSummaries } from "./weighted-summaries";

/**
 * Total BG/NBD log-likelihood of weighted summaries, FHL 2005 eq. (6) in the form of
 * DOMAIN.md:
 *
 *     ln L_i = A1 + A2 + ln( exp(A3) + [x>0] · exp(A4) )
 *     A1 = lnΓ(r+x) − lnΓ(r) + r ln α
 *     A2 = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)
 *     A3 = −(r+x) ln(α+T)
 *     A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
 *
 * @param params r, α, a, b (all > 0).
 * @param data distinct (x, t_x, T) rows with weights.
 * @returns Σ weight_i · ln L_i.
 * @example
 * bgNbdLogLikelihood({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, weightSummaries(cdnow)); // ≈ −9582.4
 */
export function bgNbdLogLikelihood(params: BgNbdParams, data: WeightedSummaries): number {
  return bgNbdLogLikelihoodWithGradient(params, data, undefined);
}

/**
 * The log-likelihood and, when `gradient` is given, its analytic gradient with respect to
 * (r, α, a, b), written into `gradient`. With π₃ = e^A3 / (e^A3 + δe^A4) and π₄ = 1 − π₃
 * (π₄ = 0 when x = 0):
 *
 *     ∂/∂r = ψ(r+x) − ψ(r) + ln α − π₃ ln(α+T) − π₄ ln(α+t_x)
 *     ∂/∂α = r/α − (r+x) (π₃/(α+T) + π₄/(α+t_x))
 *     ∂/∂a = ψ(a+b) − ψ(a+b+x) + π₄/a
 *     ∂/∂b = ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x) − π₄/(b+x−1)
 *
 * Terms that depend on x alone (the lnΓ and ψ ones) are tabulated once per distinct x.
 *
 * @param params r, α, a, b.
 * @param data weighted rows.
 * @param gradient optional output, length 4.
 * @returns the total log-likelihood (NaN for parameters ≤ 0).
 */
export function bgNbdLogLikelihoodWithGradient(
  params: BgNbdParams,
  data: WeightedSummaries,
  gradient: Float64Array | undefined,
): number {
  const { r, alpha, a, b } = params;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return Number.NaN;
  const { frequency, recency, T, weight } = data;
  const n = frequency.length;
  let maxX = 0;
  for (let i = 0; i < n; i++) if (frequency[i]! > maxX) maxX = frequency[i]!;
  // Per-x tables: A1 + A2 (constant part), ψ terms for the gradient, ln(b+x−1).
  const base = new Float64Array(maxX + 1);
  const dR = new Float64Array(maxX + 1);
  const dAB = new Float64Array(maxX + 1);
  const dB = new Float64Array(maxX + 1);
  const logBx1 = new Float64Array(maxX + 1);
  const lgR = gammaln(r);
  const lgAB = gammaln(a + b);
  const lgB = gammaln(b);
  const psiR = gradient ? digamma(r) : 0;
  const psiAB = gradient ? digamma(a + b) : 0;
  const psiB = gradient ? digamma(b) : 0;
  const logAlpha = Math.log(alpha);
  const logA = Math.log(a);
  const seen = new Uint8Array(maxX + 1);
  for (let i = 0; i < n; i++) seen[frequency[i]!] = 1;
  for (let x = 0; x <= maxX; x++) {
    if (!seen[x]) continue;
    base[x] =
      gammaln(r + x) - lgR + r * logAlpha + lgAB + gammaln(b + x) - lgB - gammaln(a + b + x);
    logBx1[x] = x > 0 ? Math.log(b + x - 1) : 0;
    if (gradient) {
      const psiABx = digamma(a + b + x);
      dR[x] = digamma(r + x) - psiR + logAlpha;
      dAB[x] = psiAB - psiABx;
      dB[x] = psiAB + digamma(b + x) - psiB - psiABx;
    }
  }
  let total = 0;
  let gR = 0;
  let gAlpha = 0;
  let gA = 0;
  let gB = 0;
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    const w = weight[i]!;
    const rx = r + x;
    const logAT = Math.log(alpha + T[i]!);
    const a3 = -rx * logAT;
    if (x === 0) {
      total += w * (base[x]! + a3);
      if (gradient) {
        gR += w * (dR[x]! - logAT);
        gAlpha += w * (r / alpha - rx / (alpha + T[i]!));
        gA += w * dAB[x]!;
        gB += w * dB[x]!;
      }
      continue;
    }
    const logAtx = Math.log(alpha + recency[i]!);
    const a4 = logA - logBx1[x]! - rx * logAtx;
    // ln(e^A3 + e^A4) without overflow: factor out the larger exponent.
    const hi = a3 > a4 ? a3 : a4;
    const e3 = Math.exp(a3 - hi);
    const e4 = Math.exp(a4 - hi);
    const sum = e3 + e4;
    total += w * (base[x]! + hi + Math.log(sum));
    if (gradient) {
      const p3 = e3 / sum;
      const p4 = e4 / sum;
      gR += w * (dR[x]! - p3 * logAT - p4 * logAtx);
      gAlpha += w * (r / alpha - rx * (p3 / (alpha + T[i]!) + p4 / (alpha + recency[i]!)));
      gA += w * (dAB[x]! + p4 / a);
      gB += w * (dB[x]! - p4 / (b + x - 1));
    }
  }
  if (gradient) {
    gradient[0] = gR;
    gradient[1] = gAlpha;
    gradient[2] = gA;
    gradient[3] = gB;
  }
  return total;
}
