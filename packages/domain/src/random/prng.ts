/**
 * Seedable pseudo-random number generator.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's "Small Fast Counting" generator, from the
 * PractRand suite), a 128-bit-state generator that passes PractRand and BigCrush and runs on
 * 32-bit integer arithmetic only, which is what JavaScript does fast. The four state words are
 * filled from the seed with splitmix32 (a 32-bit variant of Steele, Lea and Flood's SplitMix,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014) so that nearby seeds
 * (0, 1, 2, ...) give unrelated streams.
 *
 * Not cryptographically secure: use it for simulation and test data only.
 */

/** A uniform random source. */
export interface Rng {
  /** A uniform draw from [0, 1) with 53 bits of resolution. */
  next(): number;
}

/** Thrown when a seed or distribution parameter is not usable. */
export class RandomParameterError extends Error {
  override readonly name = "RandomParameterError";
  readonly code = "INVALID_RANDOM_PARAMETER";
  constructor(message: string) {
    super(message);
  }
}

/**
 * Creates a seeded generator: the same seed always gives the same sequence.
 *
 * @param seed any finite number; it is reduced to its low 32 bits (fractional parts truncated,
 *   negative seeds allowed).
 * @returns an {@link Rng} whose `next()` returns uniforms in [0, 1).
 * @throws {RandomParameterError} when `seed` is NaN or infinite.
 * @example
 * const rng = createRng(42);
 * rng.next(); // 0.xxx, the same on every run
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) {
    throw new RandomParameterError(`createRng: seed must be a finite number, got ${seed}`);
  }
  // splitmix32 to expand the seed into four well-mixed state words.
  let sm = Math.trunc(seed) | 0;
  const splitmix32 = (): number => {
    sm = (sm + 0x9e3779b9) | 0;
    let z = sm;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = splitmix32();

  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32's authors recommend a short warm-up.
  for (let i = 0; i < 12; i++) nextUint32();

  return {
    next(): number {
      // 53-bit uniform: 27 high bits + 26 bits, as in the usual genrand_res53 construction.
      const hi = nextUint32() >>> 5;
      const lo = nextUint32() >>> 6;
      return (hi * 67108864 + lo) / 9007199254740992;
    },
  };
}
