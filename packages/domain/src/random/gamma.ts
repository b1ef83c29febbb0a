import { sampleNormal } from "./normal";
import { RandomParameterError, type Rng } from "./prng";

/**
 * Draws from the Gamma distribution with the given shape k and scale θ (mean kθ, variance kθ²).
 *
 * Marsaglia and Tsang, "A simple method for generating gamma variables", ACM TOMS 26(3), 2000.
 * For shape < 1 the draw uses their boosting identity: if Y ~ Gamma(k + 1) and U ~ U(0, 1),
 * then Y · U^(1/k) ~ Gamma(k).
 *
 * @param rng uniform source.
 * @param shape shape k, > 0.
 * @param scale scale θ, > 0 (note: scale, not rate; BG/NBD's λ ~ Gamma(r, α) has rate α, so
 *   draw it with `sampleGamma(rng, r, 1 / alpha)`).
 * @returns a positive draw (it may underflow to 0 for very small shapes).
 * @throws {RandomParameterError} when shape or scale is not a positive finite number.
 * @example
 * sampleGamma(createRng(1), 2, 3); // mean 6
 */
export function sampleGamma(rng: Rng, shape: number, scale: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) {
    throw new RandomParameterError(`sampleGamma: shape must be > 0, got ${shape}`);
  }
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new RandomParameterError(`sampleGamma: scale must be > 0, got ${scale}`);
  }
  if (shape < 1) {
    const y = marsagliaTsang(rng, shape + 1);
    // 1 - U lies in (0, 1], so the power never sees 0 raised to a negative exponent.
    return y * Math.pow(1 - rng.next(), 1 / shape) * scale;
  }
  return marsagliaTsang(rng, shape) * scale;
}

/** Marsaglia-Tsang squeeze-and-reject for shape >= 1, unit scale. */
function marsagliaTsang(rng: Rng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}
