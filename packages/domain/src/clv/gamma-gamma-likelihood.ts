import { digamma, gammaln } from "../math";
import type { GammaGammaParams } from "./bg-nbd-params";

/** Repeat customers' (x, m̄) pairs, the data of the Gamma-Gamma model. */
export interface SpendData {
  frequency: Float64Array;
  monetary: Float64Array;
}

/**
 * Total Gamma-Gamma log-likelihood (Fader & Hardie, "The Gamma-Gamma Model of Monetary
 * Value", note 025, 2013, eq. 3; FHL 2005 "RFM and CLV", JMR 42(4), appendix):
 *
 *     ln L_i = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln v + (px−1) ln m̄ + px ln x − (px+q) ln(v + x m̄)
 *
 * and, when `gradient` is given, its gradient with respect to (p, q, v):
 *
 *     ∂/∂p = x [ψ(px+q) − ψ(px) + ln m̄ + ln x − ln(v + x m̄)]
 *     ∂/∂q = ψ(px+q) − ψ(q) + ln v − ln(v + x m̄)
 *     ∂/∂v = q/v − (px+q)/(v + x m̄)
 *
 * @param params p, q, v (> 0).
 * @param data repeat customers only (x ≥ 1, m̄ > 0).
 * @param gradient optional output of length 3.
 * @returns Σ ln L_i (NaN for parameters ≤ 0).
 */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  data: SpendData,
  gradient?: Float64Array,
): number {
  const { p, q, v } = params;
  if (!(p > 0 && q > 0 && v > 0)) return Number.NaN;
  const { x: xs, monetary, logM, distinctX, maxX } = prepare(data);
  const n = xs.length;
  const base = new Float64Array(maxX + 1);
  const psiDiff = new Float64Array(maxX + 1);
  const psiQx = new Float64Array(maxX + 1);
  const lgQ = gammaln(q);
  const psiQ = gradient ? digamma(q) : 0;
  const logV = Math.log(v);
  for (const x of distinctX) {
    base[x] = gammaln(p * x + q) - gammaln(p * x) - lgQ + q * logV + p * x * Math.log(x);
    if (gradient) {
      const psiPxQ = digamma(p * x + q);
      psiDiff[x] = psiPxQ - digamma(p * x) + Math.log(x);
      psiQx[x] = psiPxQ - psiQ + logV;
    }
  }
  let total = 0;
  let gP = 0;
  let gQ = 0;
  let gV = 0;
  const qOverV = q / v;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const lm = logM[i]!;
    const denominator = v + x * monetary[i]!;
    const logDen = Math.log(denominator);
    const px = p * x;
    total += base[x]! + (px - 1) * lm - (px + q) * logDen;
    if (gradient) {
      gP += x * (psiDiff[x]! + lm - logDen);
      gQ += psiQx[x]! - logDen;
      gV += qOverV - (px + q) / denominator;
    }
  }
  if (gradient) {
    gradient[0] = gP;
    gradient[1] = gQ;
    gradient[2] = gV;
  }
  return total;
}

/** Integer frequencies, ln m̄ and the distinct frequencies, computed once per data object. */
interface PreparedSpend {
  x: Int32Array;
  monetary: Float64Array;
  logM: Float64Array;
  distinctX: number[];
  maxX: number;
}

/** The optimiser evaluates the likelihood many times on the same (immutable) data. */
const preparedCache = new WeakMap<SpendData, PreparedSpend>();

function prepare(data: SpendData): PreparedSpend {
  const cached = preparedCache.get(data);
  if (cached) return cached;
  const n = data.frequency.length;
  const x = new Int32Array(n);
  // A plain loop: Float64Array.from(monetary, Math.log) calls the function through the
  // iterator protocol, about 13 times slower (140 ms against 11 for 444,000 customers).
  const logM = new Float64Array(n);
  const distinct = new Set<number>();
  let maxX = 0;
  for (let i = 0; i < n; i++) {
    const value = data.frequency[i]!;
    x[i] = value;
    logM[i] = Math.log(data.monetary[i]!);
    distinct.add(value);
    if (value > maxX) maxX = value;
  }
  const prepared = { x, monetary: data.monetary, logM, distinctX: [...distinct], maxX };
  preparedCache.set(data, prepared);
  return prepared;
}
