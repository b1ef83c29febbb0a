import { gammaln } from "../math";

// Series and continued fraction of the regularised incomplete gamma function, as in Press,
// Teukolsky, Vetterling & Flannery, "Numerical Recipes" (3rd ed., §6.2): the series converges
// fast for x < a + 1, the continued fraction (modified Lentz) for x ≥ a + 1, so each side is
// computed directly and never as 1 − (a number close to 1).
const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

function prefactor(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - gammaln(a));
}

function series(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * prefactor(a, x);
}

function continuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return prefactor(a, x) * h;
}

/**
 * The regularised incomplete gamma functions P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = 1 − P(a, x),
 * each to close to double precision (the smaller one is never found by subtraction).
 *
 * @param a shape, > 0.
 * @param x ≥ 0.
 * @returns `{ lower: P(a, x), upper: Q(a, x) }`.
 * @example
 * regularizedGamma(1, 1); // { lower: 0.6321..., upper: 0.3678... } (1 − e⁻¹, e⁻¹)
 */
export function regularizedGamma(a: number, x: number): { lower: number; upper: number } {
  if (x <= 0) return { lower: 0, upper: 1 };
  if (x === Infinity) return { lower: 1, upper: 0 };
  if (x < a + 1) {
    const lower = series(a, x);
    return { lower, upper: 1 - lower };
  }
  const upper = continuedFraction(a, x);
  return { lower: 1 - upper, upper };
}
