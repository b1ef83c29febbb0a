import type { Rng } from "./prng";

/**
 * Draws a standard normal variate (mean 0, variance 1).
 *
 * Uses the Marsaglia polar method (Marsaglia and Bray, "A convenient method for generating
 * normal variables", SIAM Review 6(3), 1964). The second variate of each pair is discarded so
 * that the function stays stateless: the sequence depends on the `rng` alone.
 *
 * @param rng uniform source.
 * @returns a draw from N(0, 1).
 * @example
 * sampleNormal(createRng(1)); // e.g. -0.43...
 */
export function sampleNormal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) {
      return u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }
}
