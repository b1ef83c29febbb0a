import { MeasurementError } from "./measurement-error";

/** Refuses a probability outside the open interval (0, 1). */
export function checkProbability(p: number, field: string): void {
  if (!(Number.isFinite(p) && p > 0 && p < 1)) {
    throw new MeasurementError(
      "INVALID_PARAMETER",
      `${field} must be a probability strictly between 0 and 1 (got ${p})`,
      { field },
    );
  }
}

/**
 * Finds t ≥ 0 with S(t) = q for a decreasing upper-tail function S of a symmetric
 * distribution (S(0) = ½) and q in (0, ½].
 *
 * Newton's method on ln S(t) − ln q (whose slope is −f(t)/S(t), f the density), which is
 * nearly linear in the tails, safeguarded by a bracket: a step that leaves the bracket is
 * replaced by bisection, so the iteration always converges.
 */
export function solveUpperTail(
  q: number,
  upperTail: (t: number) => number,
  density: (t: number) => number,
  options: { guess: number },
): number {
  if (q >= 0.5) return 0;
  const target = Math.log(q);
  // Bracket [lo, hi] with S(lo) ≥ q > S(hi).
  let lo = 0;
  let hi = Math.max(1, options.guess);
  while (upperTail(hi) >= q) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return Infinity;
  }
  let t = options.guess > lo && options.guess < hi ? options.guess : (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const s = upperTail(t);
    if (s >= q) lo = t;
    else hi = t;
    const f = density(t);
    let next = t + ((Math.log(s) - target) * s) / f;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) {
      // Bisection, geometric once the bracket is away from 0 (tails span many magnitudes).
      next = lo > 0 && hi / lo > 4 ? Math.sqrt(lo * hi) : (lo + hi) / 2;
    }
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(next))) return next;
    if (hi - lo <= 1e-15 * Math.max(1, hi)) return next;
    t = next;
  }
  return t;
}
