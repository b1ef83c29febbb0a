/**
 * Special functions used by the CLV models.
 *
 * lnΓ, ln B and ψ come from the stdlib-js project (@stdlib/math-base-special-*), ports of the
 * Cephes / FreeBSD msun implementations. Those packages are CommonJS with `export =` type
 * declarations; with `esModuleInterop` and Node16 resolution the default import below is the
 * function itself, both under tsc (CommonJS output) and under vitest (ESM interop).
 */
import betalnImpl from "@stdlib/math-base-special-betaln";
import digammaImpl from "@stdlib/math-base-special-digamma";
import gammalnImpl from "@stdlib/math-base-special-gammaln";

/**
 * Natural logarithm of the absolute value of the gamma function, ln|Γ(x)|.
 *
 * @param x any real number.
 * @returns ln|Γ(x)|; +Infinity at the poles 0, −1, −2, ...
 * @example
 * gammaln(5); // ln(24) = 3.178...
 */
export function gammaln(x: number): number {
  return gammalnImpl(x);
}

/**
 * Natural logarithm of the beta function, ln B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b).
 *
 * @param a first argument, > 0.
 * @param b second argument, > 0.
 * @returns ln B(a, b).
 * @example
 * betaln(1, 1); // 0
 */
export function betaln(a: number, b: number): number {
  return betalnImpl(a, b);
}

/**
 * The digamma function ψ(x) = d/dx ln Γ(x).
 *
 * @param x any real number that is not a pole (0, −1, −2, ...).
 * @returns ψ(x).
 * @example
 * digamma(1); // −0.5772... (minus the Euler-Mascheroni constant)
 */
export function digamma(x: number): number {
  return digammaImpl(x);
}

/** True when x is 0, −1, −2, ... (a pole of Γ). */
export function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}

/**
 * The sign of Γ(x): +1 for x > 0; for negative non-integer x, Γ alternates sign between
 * consecutive integers, negative on (−1, 0), positive on (−2, −1), and so on.
 *
 * @param x a real number that is not a pole.
 * @returns +1 or −1.
 */
export function gammaSign(x: number): 1 | -1 {
  if (x > 0) return 1;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/**
 * A ratio of gamma functions Π Γ(num_i) / Π Γ(den_j), evaluated in log space so that large
 * arguments neither overflow nor lose precision. A pole in the denominator gives 0 (1/Γ is
 * entire); a pole in the numerator gives NaN, since the ratio is then undefined here.
 *
 * @param numerators arguments of the gamma functions above the line.
 * @param denominators arguments of the gamma functions below the line.
 * @returns the signed ratio.
 * @example
 * gammaRatio([5], [3]); // 4!/2! = 12
 */
export function gammaRatio(numerators: readonly number[], denominators: readonly number[]): number {
  for (const d of denominators) if (isNonPositiveInteger(d)) return 0;
  let logMagnitude = 0;
  let sign = 1;
  for (const n of numerators) {
    if (isNonPositiveInteger(n)) return Number.NaN;
    logMagnitude += gammaln(n);
    sign *= gammaSign(n);
  }
  for (const d of denominators) {
    logMagnitude -= gammaln(d);
    sign *= gammaSign(d);
  }
  return sign * Math.exp(logMagnitude);
}
