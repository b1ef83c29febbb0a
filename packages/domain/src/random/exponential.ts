import { RandomParameterError, type Rng } from "./prng";

/**
 * Draws from the exponential distribution with the given rate (mean 1 / rate), by inversion:
 * X = -ln(1 - U) / rate, with U uniform on [0, 1) so that the logarithm is always finite.
 *
 * @param rng uniform source.
 * @param rate rate parameter, > 0.
 * @returns a non-negative draw.
 * @throws {RandomParameterError} when `rate` is not a positive finite number.
 * @example
 * sampleExponential(createRng(1), 2); // mean 0.5
 */
export function sampleExponential(rng: Rng, rate: number): number {
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new RandomParameterError(`sampleExponential: rate must be > 0, got ${rate}`);
  }
  return -Math.log1p(-rng.next()) / rate;
}
