import type { ObjectiveWithGradient } from "./line-search";

/**
 * Hessian by central differences of an analytic gradient:
 * H[i][j] ≈ (∂_j f(x + h_i e_i) − ∂_j f(x − h_i e_i)) / (2 h_i), then symmetrised.
 * With h_i = 1e-5 · max(1, |x_i|) the truncation error is O(h²) and the rounding error
 * O(ε/h), both about 1e-10 relative for well-scaled problems.
 *
 * @param f objective with gradient.
 * @param x the point (usually the optimum).
 * @returns the n × n Hessian as an array of rows.
 */
export function numericalHessian(f: ObjectiveWithGradient, x: readonly number[]): number[][] {
  const n = x.length;
  const h: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const plus = new Float64Array(n);
  const minus = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const step = 1e-5 * Math.max(1, Math.abs(x[i]!));
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[i] = x[i]! + step;
    xm[i] = x[i]! - step;
    f(xp, plus);
    f(xm, minus);
    const actualStep = xp[i]! - xm[i]!;
    for (let j = 0; j < n; j++) h[i]![j] = (plus[j]! - minus[j]!) / actualStep;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const mean = (h[i]![j]! + h[j]![i]!) / 2;
      h[i]![j] = mean;
      h[j]![i] = mean;
    }
  }
  return h;
}
