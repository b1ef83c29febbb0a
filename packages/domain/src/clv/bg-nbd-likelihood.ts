import { digamma, gammaln } from "../math";
import type { BgNbdParams } from "./bg-nbd-params";
import type { WeightedSummaries } from "./weighted-summaries";

/**
 * Total BG/NBD log-likelihood of weighted summaries, FHL 2005 eq. (6) in the form of
 * docs/clv-models.md:
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
  const prepared = prepare(data);
  const { x: xs, weight, tIndex, txIndex, uniqueT, uniqueTx, distinctX, maxX } = prepared;
  const n = xs.length;
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
  for (const x of distinctX) {
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
  // ln(α+T), ln(α+t_x) and their reciprocals once per distinct T and t_x.
  const logT = new Float64Array(uniqueT.length);
  const invT = new Float64Array(uniqueT.length);
  for (let k = 0; k < uniqueT.length; k++) {
    logT[k] = Math.log(alpha + uniqueT[k]!);
    invT[k] = 1 / (alpha + uniqueT[k]!);
  }
  const logTx = new Float64Array(uniqueTx.length);
  const invTx = new Float64Array(uniqueTx.length);
  for (let k = 0; k < uniqueTx.length; k++) {
    logTx[k] = Math.log(alpha + uniqueTx[k]!);
    invTx[k] = 1 / (alpha + uniqueTx[k]!);
  }
  const rOverAlpha = r / alpha;
  let total = 0;
  let gR = 0;
  let gAlpha = 0;
  let gA = 0;
  let gB = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const w = weight[i]!;
    const rx = r + x;
    const ti = tIndex[i]!;
    const lT = logT[ti]!;
    const a3 = -rx * lT;
    if (x === 0) {
      total += w * (base[0]! + a3);
      if (gradient) {
        gR += w * (dR[0]! - lT);
        gAlpha += w * (rOverAlpha - rx * invT[ti]!);
        gA += w * dAB[0]!;
        gB += w * dB[0]!;
      }
      continue;
    }
    const ki = txIndex[i]!;
    const lTx = logTx[ki]!;
    const a4 = logA - logBx1[x]! - rx * lTx;
    // ln(e^A3 + e^A4) = max + ln(1 + e^−|A3−A4|), without overflow.
    const d = a4 - a3;
    const e = Math.exp(-Math.abs(d));
    total += w * (base[x]! + (d > 0 ? a4 : a3) + Math.log1p(e));
    if (gradient) {
      const p4 = d > 0 ? 1 / (1 + e) : e / (1 + e);
      const p3 = 1 - p4;
      gR += w * (dR[x]! - p3 * lT - p4 * lTx);
      gAlpha += w * (rOverAlpha - rx * (p3 * invT[ti]! + p4 * invTx[ki]!));
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

/** Integer frequencies and indexes into the distinct T and t_x values of weighted rows. */
interface PreparedRows {
  x: Int32Array;
  weight: Float64Array;
  tIndex: Int32Array;
  uniqueT: Float64Array;
  /** Index into uniqueTx for rows with x > 0 (unused, 0, for x = 0). */
  txIndex: Int32Array;
  uniqueTx: Float64Array;
  distinctX: number[];
  maxX: number;
}

/**
 * Prepared forms of the weighted rows, built once per data object: the optimiser evaluates the
 * likelihood dozens of times on the same data. (Weighted summaries are treated as immutable.)
 */
const preparedCache = new WeakMap<WeightedSummaries, PreparedRows>();

function prepare(data: WeightedSummaries): PreparedRows {
  const cached = preparedCache.get(data);
  if (cached) return cached;
  const n = data.frequency.length;
  const x = Int32Array.from(data.frequency);
  const t = indexValues(data.T, () => true);
  const tx = indexValues(data.recency, (i) => x[i]! > 0);
  let maxX = 0;
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    seen.add(x[i]!);
    if (x[i]! > maxX) maxX = x[i]!;
  }
  const prepared: PreparedRows = {
    x,
    weight: data.weight,
    tIndex: t.index,
    uniqueT: t.values,
    txIndex: tx.index,
    uniqueTx: tx.values,
    distinctX: [...seen],
    maxX,
  };
  preparedCache.set(data, prepared);
  return prepared;
}

/**
 * Distinct values of a column (rows where `use` holds) and each row's index into them. When
 * most values are distinct (continuous times) the table would save nothing, so it gives up
 * early and indexes every row to itself.
 */
function indexValues(
  column: Float64Array,
  use: (row: number) => boolean,
): { index: Int32Array; values: Float64Array } {
  const positions = new Map<number, number>();
  const index = new Int32Array(column.length);
  const values: number[] = [];
  const limit = Math.max(1024, column.length / 4);
  for (let i = 0; i < column.length; i++) {
    if (!use(i)) continue;
    const v = column[i]!;
    let k = positions.get(v);
    if (k === undefined) {
      if (values.length >= limit) {
        for (let row = 0; row < column.length; row++) index[row] = row;
        return { index, values: column };
      }
      k = values.length;
      positions.set(v, k);
      values.push(v);
    }
    index[i] = k;
  }
  return { index, values: Float64Array.from(values) };
}
