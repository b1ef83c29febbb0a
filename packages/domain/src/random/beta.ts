import { sampleGamma } from "./gamma";
import { RandomParameterError, type Rng } from "./prng";

/**
 * Draws from the Beta(a, b) distribution as X / (X + Y) with X ~ Gamma(a, 1) and
 * Y ~ Gamma(b, 1) (e.g. Devroye, "Non-Uniform Random Variate Generation", 1986, §IX.4).
 *
 * @param rng uniform source.
 * @param a first shape, > 0.
 * @param b second shape, > 0.
 * @returns a draw in [0, 1] (mean a / (a + b)).
 * @throws {RandomParameterError} when a or b is not a positive finite number.
 * @example
 * sampleBeta(createRng(1), 2, 5); // mean 2/7
 */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  if (!(a > 0) || !Number.isFinite(a)) {
    throw new RandomParameterError(`sampleBeta: a must be > 0, got ${a}`);
  }
  if (!(b > 0) || !Number.isFinite(b)) {
    throw new RandomParameterError(`sampleBeta: b must be > 0, got ${b}`);
  }
  for (;;) {
    const x = sampleGamma(rng, a, 1);
    const y = sampleGamma(rng, b, 1);
    const s = x + y;
    // Both can underflow to 0 for tiny shapes; draw again rather than return NaN.
    if (s > 0) return x / s;
  }
}
