import { checkProbability, solveUpperTail } from "./tail-inversion";
import { regularizedGamma } from "./incomplete-gamma";

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Upper tail of the standard normal distribution, P(Z > z), accurate far into the tails
 * (1 − Φ(z) is never formed by subtraction). Uses ½·erfc(z/√2) = ½·Q(½, z²/2), the
 * regularised upper incomplete gamma function.
 *
 * @param z any number.
 * @returns P(Z > z).
 * @example
 * normalUpperTail(1.959963984540054); // 0.025
 */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const { lower, upper } = regularizedGamma(0.5, (z * z) / 2);
  return z >= 0 ? upper / 2 : 0.5 + lower / 2;
}

/**
 * Cumulative distribution function of the standard normal distribution, Φ(z) = P(Z ≤ z).
 *
 * @param z any number.
 * @returns Φ(z).
 * @example
 * normalCdf(-1); // 0.15865525393145707
 */
export function normalCdf(z: number): number {
  return normalUpperTail(-z);
}

/**
 * Quantile (inverse CDF) of the standard normal distribution, to about 1e-14 relative.
 *
 * @param p probability in (0, 1).
 * @returns z with Φ(z) = p.
 * @throws {MeasurementError} INVALID_PARAMETER when p is not in (0, 1).
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  checkProbability(p, "p");
  if (p === 0.5) return 0;
  const q = Math.min(p, 1 - p);
  const z = solveUpperTail(q, normalUpperTail, (t) => Math.exp(-LN_SQRT_2PI - (t * t) / 2), {
    guess: normalTailGuess(q),
  });
  return p > 0.5 ? z : -z;
}

/**
 * Abramowitz & Stegun 26.2.23: a starting point for z with P(Z > z) = q ≤ ½ (error < 4.5e-4),
 * refined by the caller.
 */
export function normalTailGuess(q: number): number {
  const u = Math.sqrt(-2 * Math.log(q));
  return (
    u -
    (2.515517 + 0.802853 * u + 0.010328 * u * u) /
      (1 + 1.432788 * u + 0.189269 * u * u + 0.001308 * u * u * u)
  );
}
