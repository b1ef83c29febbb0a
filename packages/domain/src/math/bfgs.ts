import { dot, strongWolfeLineSearch, type ObjectiveWithGradient } from "./line-search";

/**
 * When even a steepest-descent line search cannot decrease f, the remaining gradient is
 * rounding noise of f and its gradient; such a point is accepted if its gradient is within
 * this factor of the tolerance.
 */
const NOISE_ALLOWANCE = 1000;

/** Options of {@link minimizeBfgs}. */
export interface BfgsOptions {
  /** Converged when the largest gradient component is at most this. Default 1e-8. */
  gradientTolerance?: number;
  /**
   * Also converged when the quasi-Newton model predicts that the rest of the descent is worth at
   * most this much: ½ gᵀH⁻¹g ≤ decrementTolerance (the Newton decrement, Boyd & Vandenberghe,
   * "Convex Optimization", §9.5.1), checked once the inverse-Hessian approximation has had at
   * least `dimension` updates. Useful when f is a sum over many terms whose rounding noise hides
   * the last tiny decreases from the line search. Default 0 (off).
   */
  decrementTolerance?: number;
  /** Iteration budget. Default 500. */
  maxIterations?: number;
  /** Largest change of any coordinate in one step (keeps log-parameters in range). Default 10. */
  maxStep?: number;
}

/** Outcome of a minimisation. */
export interface MinimizeResult {
  x: number[];
  value: number;
  gradient: number[];
  iterations: number;
  evaluations: number;
  converged: boolean;
  method: "bfgs" | "nelder-mead";
  /** Why the method stopped. */
  message: string;
}

/**
 * Minimises a smooth function with the BFGS quasi-Newton method (Nocedal & Wright,
 * "Numerical Optimization", 2nd ed., Algorithm 6.1): inverse-Hessian updates, a strong Wolfe
 * line search, the initial scaling H₀ = (sᵀy / yᵀy) I of eq. 6.20, and the update skipped
 * when the curvature sᵀy is not positive.
 *
 * @param f objective with analytic gradient.
 * @param x0 start point.
 * @param options tolerances and budgets.
 * @returns the best point found; `converged` tells whether the gradient test was met.
 * @example
 * minimizeBfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, [0]).x; // [3]
 */
export function minimizeBfgs(
  f: ObjectiveWithGradient,
  x0: readonly number[],
  options: BfgsOptions = {},
): MinimizeResult {
  const tolerance = options.gradientTolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 500;
  const maxStep = options.maxStep ?? 10;
  const decrementTolerance = options.decrementTolerance ?? 0;
  let updates = 0;
  const n = x0.length;
  let x: Float64Array = Float64Array.from(x0);
  let gradient: Float64Array = new Float64Array(n);
  let value = f(x, gradient);
  let evaluations = 1;
  const result = (iterations: number, converged: boolean, message: string): MinimizeResult => ({
    x: Array.from(x),
    value,
    gradient: Array.from(gradient),
    iterations,
    evaluations,
    converged,
    method: "bfgs",
    message,
  });
  if (!Number.isFinite(value) || !gradient.every(Number.isFinite)) {
    return result(0, false, "objective is not finite at the start point");
  }
  // Inverse Hessian approximation, row-major n × n, starts as the identity.
  let h = identity(n);
  let firstStep = true;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(gradient) <= tolerance) return result(iteration, true, "gradient below tolerance");
    const direction = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= h[i * n + j]! * gradient[j]!;
      direction[i] = s;
    }
    const predictedDecrease = -dot(direction, gradient) / 2;
    if (updates >= n && predictedDecrease >= 0 && predictedDecrease <= decrementTolerance) {
      return result(iteration, true, "predicted decrease below tolerance");
    }
    if (dot(direction, gradient) >= 0) {
      // Lost positive definiteness through rounding: restart from steepest descent.
      h = identity(n);
      updates = 0;
      for (let i = 0; i < n; i++) direction[i] = -gradient[i]!;
    }
    const longest = maxAbs(direction);
    let initial = firstStep ? Math.min(1, 1 / longest) : 1;
    if (initial * longest > maxStep) initial = maxStep / longest;
    const search = strongWolfeLineSearch(f, x, value, gradient, direction, initial);
    evaluations += search.evaluations;
    if (search.step === 0) {
      if (!isIdentity(h)) {
        h = identity(n); // retry once along steepest descent before giving up
        updates = 0;
        firstStep = true;
        continue;
      }
      // No step decreases f even along −∇f: the optimum is located to the precision of f
      // itself. Accept when the gradient is within a rounding allowance of the tolerance.
      const g = maxAbs(gradient);
      return result(
        iteration,
        g <= NOISE_ALLOWANCE * tolerance,
        `line search found no decrease at gradient ${g.toExponential(2)}`,
      );
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = search.x[i]! - x[i]!;
      y[i] = search.gradient[i]! - gradient[i]!;
    }
    const previousValue = value;
    x = search.x;
    gradient = search.gradient;
    value = search.value;
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (firstStep) {
        const scale = sy / dot(y, y);
        h = identity(n).map((v) => v * scale);
        firstStep = false;
      }
      h = bfgsUpdate(h, s, y, sy);
      updates++;
    }
    if (
      Math.abs(previousValue - value) <= 1e-16 * Math.max(1, Math.abs(value)) &&
      maxAbs(gradient) <= Math.sqrt(tolerance)
    ) {
      // No further progress is possible in double precision; accept if the gradient is small.
      return result(iteration + 1, true, "no further decrease in double precision");
    }
  }
  return result(maxIterations, maxAbs(gradient) <= tolerance, "iteration budget exhausted");
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / (yᵀ s) (N&W eq. 6.17). */
function bfgsUpdate(h: Float64Array, s: Float64Array, y: Float64Array, sy: number): Float64Array {
  const n = s.length;
  const rho = 1 / sy;
  const hy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v += h[i * n + j]! * y[j]!;
    hy[i] = v;
  }
  const yhy = dot(y, hy);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[i * n + j] =
        h[i * n + j]! -
        rho * (hy[i]! * s[j]! + s[i]! * hy[j]!) +
        (rho * rho * yhy + rho) * s[i]! * s[j]!;
    }
  }
  return out;
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

function isIdentity(m: Float64Array): boolean {
  const n = Math.round(Math.sqrt(m.length));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (m[i * n + j] !== (i === j ? 1 : 0)) return false;
  return true;
}

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}
