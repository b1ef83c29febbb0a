import type { MinimizeResult } from "./bfgs";

/** Options of {@link minimizeNelderMead}. */
export interface NelderMeadOptions {
  /** Stop when every vertex is within this distance of the best one (∞-norm). Default 1e-10. */
  xTolerance?: number;
  /** ... and the spread of function values is at most this. Default 1e-12. */
  fTolerance?: number;
  /** Iteration budget. Default 4000 × dimension. */
  maxIterations?: number;
  /** Edge of the initial simplex. Default 0.5 (suits log-parameters). */
  initialStep?: number;
}

/**
 * Derivative-free simplex minimisation (Nelder & Mead, "A simplex method for function
 * minimization", Computer Journal 7, 1965), with the dimension-adaptive coefficients of
 * Gao & Han ("Implementing the Nelder-Mead simplex algorithm with adaptive parameters",
 * Computational Optimization and Applications 51, 2012). Used as the fallback when BFGS
 * fails; non-finite values count as +∞ so the simplex walks away from them.
 *
 * @param f objective (value only).
 * @param x0 start point.
 * @param options tolerances and budget.
 * @returns the best vertex; `converged` when both tolerances were met.
 * @example
 * minimizeNelderMead((x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2, [0, 0]).x; // ≈ [1, −2]
 */
export function minimizeNelderMead(
  f: (x: Float64Array) => number,
  x0: readonly number[],
  options: NelderMeadOptions = {},
): MinimizeResult {
  const n = x0.length;
  const xTolerance = options.xTolerance ?? 1e-10;
  const fTolerance = options.fTolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 4000 * n;
  const step = options.initialStep ?? 0.5;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  let evaluations = 0;
  const value = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const vertices: Float64Array[] = [Float64Array.from(x0)];
  for (let i = 0; i < n; i++) {
    const v = Float64Array.from(x0);
    v[i] = v[i]! + step;
    vertices.push(v);
  }
  const values = vertices.map(value);
  const order = (): void => {
    const idx = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
    const vs = idx.map((i) => vertices[i]!);
    const fs = idx.map((i) => values[i]!);
    vs.forEach((v, i) => (vertices[i] = v));
    fs.forEach((v, i) => (values[i] = v));
  };
  const point = (from: Float64Array, to: Float64Array, t: number): Float64Array => {
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = from[i]! + t * (to[i]! - from[i]!);
    return p;
  };
  let iteration = 0;
  let converged = false;
  for (; iteration < maxIterations; iteration++) {
    order();
    const best = vertices[0]!;
    let size = 0;
    for (const v of vertices)
      for (let i = 0; i < n; i++) size = Math.max(size, Math.abs(v[i]! - best[i]!));
    if (size <= xTolerance && values[n]! - values[0]! <= fTolerance) {
      converged = true;
      break;
    }
    const centroid = new Float64Array(n);
    for (let k = 0; k < n; k++)
      for (let i = 0; i < n; i++) centroid[i] = centroid[i]! + vertices[k]![i]! / n;
    const worst = vertices[n]!;
    const reflected = point(centroid, worst, -alpha);
    const fr = value(reflected);
    if (fr < values[0]!) {
      const expanded = point(centroid, worst, -alpha * beta);
      const fe = value(expanded);
      if (fe < fr) replaceWorst(expanded, fe);
      else replaceWorst(reflected, fr);
    } else if (fr < values[n - 1]!) {
      replaceWorst(reflected, fr);
    } else {
      const outside = fr < values[n]!;
      const contracted = outside
        ? point(centroid, worst, -alpha * gamma)
        : point(centroid, worst, gamma);
      const fc = value(contracted);
      if (fc < (outside ? fr : values[n]!)) {
        replaceWorst(contracted, fc);
      } else {
        for (let k = 1; k <= n; k++) {
          vertices[k] = point(best, vertices[k]!, delta);
          values[k] = value(vertices[k]!);
        }
      }
    }
  }
  order();
  return {
    x: Array.from(vertices[0]!),
    value: values[0]!,
    gradient: [],
    iterations: iteration,
    evaluations,
    converged,
    method: "nelder-mead",
    message: converged ? "simplex below tolerance" : "iteration budget exhausted",
  };

  function replaceWorst(x: Float64Array, fx: number): void {
    vertices[n] = x;
    values[n] = fx;
  }
}
