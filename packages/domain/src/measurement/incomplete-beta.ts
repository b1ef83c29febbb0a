import { betaln } from "../math";

// The continued fraction of the regularised incomplete beta function (Press et al., "Numerical
// Recipes", 3rd ed., §6.4, evaluated with the modified Lentz method). It converges quickly for
// x < (a + 1)/(a + b + 2); on the other side the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) is used.
const EPS = 1e-16;
const TINY = 1e-300;
// Convergence takes O(√max(a, b)) terms; Student t with ν degrees of freedom has a = ν/2, so
// this allows ν in the hundreds of millions.
const MAX_ITERATIONS = 100_000;

function continuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/**
 * The regularised incomplete beta function I_x(a, b) and its complement 1 − I_x(a, b).
 *
 * Both x and y = 1 − x are taken, so that a caller who knows y exactly (Student t tails, where
 * y = t²/(ν + t²)) loses no digits to the subtraction.
 *
 * @param x in [0, 1].
 * @param y 1 − x, given exactly.
 * @param a > 0.
 * @param b > 0.
 * @returns `{ lower: I_x(a, b), upper: 1 − I_x(a, b) }`.
 * @example
 * regularizedBeta(0.5, 0.5, 2, 2); // { lower: 0.5, upper: 0.5 }
 */
export function regularizedBeta(
  x: number,
  y: number,
  a: number,
  b: number,
): { lower: number; upper: number } {
  if (x <= 0) return { lower: 0, upper: 1 };
  if (y <= 0) return { lower: 1, upper: 0 };
  // ln x and ln y from whichever of x, y is small, so that x close to 1 keeps its digits.
  const lnX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const lnY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const front = Math.exp(a * lnX + b * lnY - betaln(a, b));
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (front * continuedFraction(a, b, x)) / a;
    return { lower, upper: 1 - lower };
  }
  const upper = (front * continuedFraction(b, a, y)) / b;
  return { lower: 1 - upper, upper };
}
