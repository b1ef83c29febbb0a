import { gammaln } from "../math";
import { regularizedBeta } from "./incomplete-beta";
import { MeasurementError } from "./measurement-error";
import { normalQuantile, normalTailGuess, normalUpperTail } from "./normal-distribution";
import { checkProbability, solveUpperTail } from "./tail-inversion";

function checkDf(df: number): void {
  if (!(df > 0)) {
    throw new MeasurementError(
      "INVALID_PARAMETER",
      `degrees of freedom must be a positive number or Infinity (got ${df})`,
      { field: "df" },
    );
  }
}

/**
 * Upper tail of Student's t distribution with ν degrees of freedom, P(T > t).
 *
 * For t > 0, P(T > t) = ½·I_{ν/(ν+t²)}(ν/2, ½) (Abramowitz & Stegun 26.7.1 with 26.5.27),
 * with the incomplete beta function's complement taken from y = t²/(ν + t²) directly, so tail
 * probabilities keep their relative precision. ν = Infinity is the standard normal. Non-integer
 * ν (Welch–Satterthwaite) is allowed.
 *
 * @param t any number.
 * @param df degrees of freedom ν > 0, or Infinity.
 * @returns P(T > t).
 * @throws {MeasurementError} INVALID_PARAMETER when ν ≤ 0 or NaN.
 * @example
 * studentTUpperTail(2.2281388519649385, 10); // 0.025
 */
export function studentTUpperTail(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (df === Infinity) return normalUpperTail(t);
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  // x = ν/(ν+t²) and y = t²/(ν+t²), written so that neither is found as 1 − the other.
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  const half = regularizedBeta(x, y, df / 2, 0.5).lower / 2;
  return t >= 0 ? half : 1 - half;
}

/**
 * Cumulative distribution function of Student's t distribution, P(T ≤ t).
 *
 * @param t any number.
 * @param df degrees of freedom ν > 0 (need not be whole), or Infinity for the normal.
 * @returns P(T ≤ t).
 * @throws {MeasurementError} INVALID_PARAMETER when ν ≤ 0 or NaN.
 * @example
 * studentTCdf(1, 1); // 0.75 (the Cauchy distribution)
 */
export function studentTCdf(t: number, df: number): number {
  return studentTUpperTail(-t, df);
}

/** Density of Student's t distribution with ν degrees of freedom at t. */
export function studentTDensity(t: number, df: number): number {
  checkDf(df);
  if (df === Infinity) return Math.exp(-0.5 * Math.log(2 * Math.PI) - (t * t) / 2);
  const logC = gammaln((df + 1) / 2) - gammaln(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Quantile (inverse CDF) of Student's t distribution, to about 1e-14 relative: Newton steps on
 * the log tail from a Cornish–Fisher start, inside a bracket (see `solveUpperTail`).
 *
 * @param p probability in (0, 1).
 * @param df degrees of freedom ν > 0 (need not be whole), or Infinity for the normal.
 * @returns t with P(T ≤ t) = p.
 * @throws {MeasurementError} INVALID_PARAMETER for p outside (0, 1) or ν ≤ 0.
 * @example
 * studentTQuantile(0.975, 10); // 2.2281388519649385
 */
export function studentTQuantile(p: number, df: number): number {
  checkProbability(p, "p");
  checkDf(df);
  if (df === Infinity) return normalQuantile(p);
  if (p === 0.5) return 0;
  const q = Math.min(p, 1 - p);
  const z = normalTailGuess(q);
  // Cornish–Fisher expansion of t in z (Abramowitz & Stegun 26.7.5), good for moderate ν.
  const z3 = z * z * z;
  const guess = z + (z3 + z) / (4 * df) + (5 * z3 * z * z + 16 * z3 + 3 * z) / (96 * df * df);
  const t = solveUpperTail(
    q,
    (u) => studentTUpperTail(u, df),
    (u) => studentTDensity(u, df),
    { guess },
  );
  return p > 0.5 ? t : -t;
}
