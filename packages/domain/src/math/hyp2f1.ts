import { MathError } from "./math-error";
import { digamma, gammaRatio, isNonPositiveInteger } from "./special-functions";

/** Largest number of series terms before giving up (reached only for z extremely close to 1). */
const MAX_TERMS = 5_000_000;
/** Relative size of the neglected tail at which a series stops. */
const TOLERANCE = 1e-17;
/** Up to this z the defining series is summed directly; beyond it the z → 1 − z transformation. */
const DIRECT_LIMIT = 0.75;
/**
 * When the defining series has only positive terms (a, b, c > 0) it has no cancellation, so it
 * is summed directly a little further: up to 0.9 it needs a few hundred terms at most.
 */
const DIRECT_LIMIT_POSITIVE = 0.9;
/**
 * Within this distance of an integer, c − a − b is treated as "nearly integer": the general
 * z → 1 − z formula loses about eps/δ of relative accuracy there, so the value is interpolated
 * from the exact-integer formula and two points at ±NEAR_INTEGER instead.
 */
const NEAR_INTEGER = 1e-4;

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and z ≤ 1.
 *
 * Method (references: Abramowitz & Stegun, Handbook of Mathematical Functions, ch. 15, and
 * DLMF §15.8, https://dlmf.nist.gov/15.8):
 * - z < 0: Pfaff's transformation, 2F1(a, b; c; z) = (1 − z)^(−a) 2F1(a, c − b; c; z/(z − 1))
 *   (A&S 15.3.4), which maps z into (0, 1);
 * - 0 ≤ z ≤ 0.75 (0.9 when a, b, c > 0, where all terms are positive): the defining series
 *   Σ (a)_n (b)_n / ((c)_n n!) z^n, stopped when a bound on the remaining tail is below 1e-17
 *   of the sum;
 * - closer to 1: the linear transformation z → 1 − z, A&S 15.3.6 when c − a − b is not an
 *   integer, and the logarithmic cases A&S 15.3.10 (c − a − b = 0) and 15.3.11
 *   (c − a − b = m > 0; m < 0 is reduced to it with Euler's transformation
 *   2F1(a, b; c; z) = (1 − z)^(c−a−b) 2F1(c − a, c − b; c; z), A&S 15.3.3);
 * - z = 1: Gauss's theorem Γ(c)Γ(c − a − b)/(Γ(c − a)Γ(c − b)) when c − a − b > 0.
 *
 * Accuracy: about 1e-13 relative or better on the tested range (see hyp2f1.spec.ts).
 *
 * @param a first numerator parameter.
 * @param b second numerator parameter.
 * @param c denominator parameter, not 0, −1, −2, ... (unless the series stops before the pole).
 * @param z argument, z ≤ 1.
 * @returns 2F1(a, b; c; z).
 * @throws {MathError} INVALID_ARGUMENT for z > 1, NaN, c at a pole, or z = 1 with
 *   c − a − b ≤ 0 (the series diverges); SERIES_NOT_CONVERGED if a series needs more than
 *   five million terms.
 * @example
 * hyp2f1(1, 1, 2, 0.5); // −ln(0.5)/0.5 = 1.3862943611198906
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (![a, b, c, z].every(Number.isFinite)) {
    throw new MathError(
      "INVALID_ARGUMENT",
      `hyp2f1: arguments must be finite (a=${a}, b=${b}, c=${c}, z=${z})`,
    );
  }
  if (z > 1) {
    throw new MathError("INVALID_ARGUMENT", `hyp2f1: z must be ≤ 1 for a real result, got ${z}`);
  }
  const terminating = terminatingDegree(a, b);
  if (isNonPositiveInteger(c) && !(terminating !== undefined && terminating < -c + 1)) {
    throw new MathError("INVALID_ARGUMENT", `hyp2f1: c must not be 0, −1, −2, ... (got ${c})`);
  }
  if (z === 0 || a === 0 || b === 0) return 1;
  if (terminating !== undefined) return polynomial(a, b, c, z, terminating);
  if (z === 1) {
    if (c - a - b <= 0) {
      throw new MathError(
        "INVALID_ARGUMENT",
        `hyp2f1: diverges at z = 1 when c − a − b ≤ 0 (c − a − b = ${c - a - b})`,
      );
    }
    return gammaRatio([c, c - a - b], [c - a, c - b]);
  }
  if (z < 0) {
    // Pfaff, in the form whose new series terminates if possible, else the one with the
    // smaller parameters (for a = r + x large and b small, as in BG/NBD's E[Y(t)], the other
    // form would multiply an underflowing power by an overflowing series).
    const w = z / (z - 1);
    const terminatesA = isNonPositiveInteger(c - b);
    const terminatesB = isNonPositiveInteger(c - a);
    const useB =
      terminatesB !== terminatesA ? terminatesB : Math.abs((c - a) * b) < Math.abs(a * (c - b));
    if (useB) return Math.pow(1 - z, -b) * hyp2f1(c - a, b, c, w);
    return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, w);
  }
  const limit = a > 0 && b > 0 && c > 0 ? DIRECT_LIMIT_POSITIVE : DIRECT_LIMIT;
  if (z <= limit) return directSeries(a, b, c, z);
  return nearOne(a, b, c, z);
}

/** If a or b is 0, −1, −2, ..., the degree of the (then polynomial) series; else undefined. */
function terminatingDegree(a: number, b: number): number | undefined {
  const degrees = [a, b].filter(isNonPositiveInteger).map((v) => -v);
  return degrees.length === 0 ? undefined : Math.min(...degrees);
}

/**
 * A terminating series (a or b = −n). Near z = 1 its terms alternate and cancel, so for
 * z > 1/2 it is rewritten around 1 − z, again a polynomial (DLMF 15.8.7):
 * 2F1(−n, b; c; z) = (c − b)_n / (c)_n · 2F1(−n, b; b − c − n + 1; 1 − z).
 */
function polynomial(a: number, b: number, c: number, z: number, n: number): number {
  const other = a === -n ? b : a;
  const reflected = other - c - n + 1;
  if (z <= 0.5 || isNonPositiveInteger(c) || isNonPositiveInteger(reflected)) {
    return directSeries(a, b, c, z);
  }
  let ratio = 1;
  for (let k = 0; k < n; k++) ratio *= (c - other + k) / (c + k);
  return ratio * directSeries(-n, other, reflected, 1 - z);
}

/** The defining series Σ (a)_n (b)_n / ((c)_n n!) z^n, for |z| < 1 (or a terminating one). */
function directSeries(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (term === 0) return sum;
    // Once the term ratio is below 1 and the ratios only move towards z from here on, the tail
    // is bounded by a geometric series with ratio rho.
    const next = Math.abs((((a + n + 1) * (b + n + 1)) / ((c + n + 1) * (n + 2))) * z);
    if (next < 1 && c + n + 1 > 0 && a + n + 1 > 0 && b + n + 1 > 0) {
      const rho = Math.max(next, Math.abs(z));
      if ((Math.abs(term) * rho) / (1 - rho) <= TOLERANCE * Math.abs(sum)) return sum;
    }
  }
  throw new MathError(
    "SERIES_NOT_CONVERGED",
    `hyp2f1: series did not converge (a=${a}, b=${b}, c=${c}, z=${z})`,
  );
}

/** 0 < z < 1 close to 1: the z → 1 − z transformations, with care at integer c − a − b. */
function nearOne(a: number, b: number, c: number, z: number): number {
  const m = c - a - b;
  const nearest = Math.round(m);
  const delta = m - nearest;
  if (delta === 0) return integerCase(a, b, c, z, nearest);
  if (Math.abs(delta) >= NEAR_INTEGER) return generalCase(a, b, c, z);
  // Quadratic interpolation in c through c0 − h, c0 (exact-integer formula) and c0 + h.
  const h = NEAR_INTEGER;
  const c0 = c - delta;
  const fMinus = generalCase(a, b, c0 - h, z);
  const f0 = integerCase(a, b, c0, z, nearest);
  const fPlus = generalCase(a, b, c0 + h, z);
  const s = delta / h;
  return f0 + (s * (fPlus - fMinus)) / 2 + (s * s * (fPlus - 2 * f0 + fMinus)) / 2;
}

/** A&S 15.3.6, for c − a − b not an integer. */
function generalCase(a: number, b: number, c: number, z: number): number {
  const w = 1 - z;
  const m = c - a - b;
  const first = gammaRatio([c, m], [c - a, c - b]);
  const second = gammaRatio([c, -m], [a, b]);
  let value = 0;
  if (first !== 0) value += first * directSeries(a, b, 1 - m, w);
  if (second !== 0) value += second * Math.pow(w, m) * directSeries(c - a, c - b, 1 + m, w);
  return value;
}

/** A&S 15.3.10 (m = 0) and 15.3.11 (m ≥ 1); m < 0 via Euler's transformation. */
function integerCase(a: number, b: number, c: number, z: number, m: number): number {
  const w = 1 - z;
  if (m < 0) {
    const a2 = c - a;
    const b2 = c - b;
    const factor = Math.pow(w, m);
    if (isNonPositiveInteger(a2) || isNonPositiveInteger(b2))
      return factor * directSeries(a2, b2, c, z);
    return factor * integerCase(a2, b2, c, z, -m);
  }
  const logW = Math.log(w);
  let finite = 0;
  if (m > 0) {
    // Γ(m)Γ(a+b+m)/(Γ(a+m)Γ(b+m)) Σ_{n<m} (a)_n (b)_n / (n! (1−m)_n) w^n
    let term = 1;
    let sum = 1;
    for (let n = 0; n < m - 1; n++) {
      term *= ((a + n) * (b + n) * w) / ((n + 1) * (1 - m + n));
      sum += term;
    }
    finite = gammaRatio([m, c], [a + m, b + m]) * sum;
  }
  // − (−1)^m Γ(a+b+m)/(Γ(a)Γ(b)) w^m Σ_n (a+m)_n (b+m)_n / (n! (n+m)!) w^n
  //     × [ln w − ψ(n+1) − ψ(n+m+1) + ψ(a+n+m) + ψ(b+n+m)]
  const prefactor = -(m % 2 === 0 ? 1 : -1) * gammaRatio([c], [a, b, m + 1]) * Math.pow(w, m);
  if (prefactor === 0) return finite;
  let psiN1 = digamma(1);
  let psiNm1 = digamma(m + 1);
  let psiA = digamma(a + m);
  let psiB = digamma(b + m);
  let coefficient = 1; // (a+m)_n (b+m)_n / (n! (m+1)_n) w^n
  let sum = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    const term = coefficient * (logW - psiN1 - psiNm1 + psiA + psiB);
    sum += term;
    const ratio = ((a + m + n) * (b + m + n) * w) / ((n + 1) * (m + n + 1));
    if (Math.abs(ratio) < 1 && n > 0) {
      const rho = Math.max(Math.abs(ratio), w);
      const bound =
        Math.abs(coefficient) *
        (Math.abs(logW) + Math.abs(psiN1) + Math.abs(psiNm1) + Math.abs(psiA) + Math.abs(psiB) + 1);
      if ((bound * rho) / (1 - rho) <= TOLERANCE * Math.abs(sum)) break;
    }
    coefficient *= ratio;
    psiN1 += 1 / (n + 1);
    psiNm1 += 1 / (n + m + 1);
    psiA += 1 / (a + m + n);
    psiB += 1 / (b + m + n);
    if (n === MAX_TERMS - 1) {
      throw new MathError(
        "SERIES_NOT_CONVERGED",
        `hyp2f1: series did not converge (a=${a}, b=${b}, c=${c}, z=${z})`,
      );
    }
  }
  return finite + prefactor * sum;
}
