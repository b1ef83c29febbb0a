/**
 * Objective with its gradient: returns f(x) and writes ∇f(x) into `gradient`.
 * Non-finite values are allowed and mean "outside the usable region".
 */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;

/** Result of a line search along a direction. */
export interface LineSearchResult {
  /** The accepted step length (0 when no acceptable step was found). */
  step: number;
  /** f at x + step · direction. */
  value: number;
  /** The point x + step · direction. */
  x: Float64Array;
  /** ∇f at that point. */
  gradient: Float64Array;
  /** Number of objective evaluations used. */
  evaluations: number;
  /** True when the strong Wolfe conditions hold at the accepted step. */
  wolfe: boolean;
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_EVALUATIONS = 20;

/**
 * Line search for the strong Wolfe conditions, Nocedal & Wright, "Numerical Optimization"
 * (2nd ed., 2006), Algorithms 3.5 (bracketing) and 3.6 (zoom), with safeguarded cubic
 * interpolation in the zoom phase. A trial point where f is not finite is treated as a point
 * with a very large value, so the search backs off from regions where the model is undefined.
 *
 * @param f objective with gradient.
 * @param x start point (not modified).
 * @param value f(x).
 * @param gradient ∇f(x) (not modified).
 * @param direction a descent direction (∇f · direction < 0).
 * @param initialStep first trial step length.
 * @returns the accepted step; `wolfe` is false when only sufficient decrease (or nothing)
 *   could be achieved within the evaluation budget.
 */
export function strongWolfeLineSearch(
  f: ObjectiveWithGradient,
  x: Float64Array,
  value: number,
  gradient: Float64Array,
  direction: Float64Array,
  initialStep: number,
): LineSearchResult {
  const n = x.length;
  const slope0 = dot(gradient, direction);
  let evaluations = 0;
  const evaluate = (
    step: number,
  ): { value: number; slope: number; x: Float64Array; gradient: Float64Array } => {
    const point = new Float64Array(n);
    for (let i = 0; i < n; i++) point[i] = x[i]! + step * direction[i]!;
    const g = new Float64Array(n);
    evaluations++;
    const v = f(point, g);
    const finite = Number.isFinite(v) && g.every(Number.isFinite);
    return {
      value: finite ? v : Number.POSITIVE_INFINITY,
      slope: finite ? dot(g, direction) : Number.NaN,
      x: point,
      gradient: g,
    };
  };
  const accept = (
    step: number,
    point: ReturnType<typeof evaluate>,
    wolfe: boolean,
  ): LineSearchResult => ({
    step,
    value: point.value,
    x: point.x,
    gradient: point.gradient,
    evaluations,
    wolfe,
  });

  let previousStep = 0;
  let previous = { value, slope: slope0 };
  let step = initialStep;
  let best: { step: number; point: ReturnType<typeof evaluate> } | undefined;

  const zoom = (
    loStep: number,
    lo: { value: number; slope: number },
    hiStep: number,
    hi: { value: number; slope: number },
  ): LineSearchResult => {
    while (evaluations < MAX_EVALUATIONS) {
      let trial = cubicMinimizer(loStep, lo.value, lo.slope, hiStep, hi.value, hi.slope);
      const lower = Math.min(loStep, hiStep);
      const upper = Math.max(loStep, hiStep);
      const margin = 0.1 * (upper - lower);
      if (!Number.isFinite(trial) || trial < lower + margin || trial > upper - margin)
        trial = (loStep + hiStep) / 2;
      const point = evaluate(trial);
      if (point.value < value && (best === undefined || point.value < best.point.value))
        best = { step: trial, point };
      if (point.value > value + C1 * trial * slope0 || point.value >= lo.value) {
        hiStep = trial;
        hi = point;
      } else {
        if (Math.abs(point.slope) <= -C2 * slope0) return accept(trial, point, true);
        if (point.slope * (hiStep - loStep) >= 0) {
          hiStep = loStep;
          hi = lo;
        }
        loStep = trial;
        lo = point;
      }
      if (Math.abs(hiStep - loStep) <= 1e-16 * Math.max(1, loStep)) break;
    }
    return fallback();
  };

  const fallback = (): LineSearchResult => {
    if (best !== undefined && best.point.value <= value + C1 * best.step * slope0)
      return accept(best.step, best.point, false);
    return {
      step: 0,
      value,
      x: Float64Array.from(x),
      gradient: Float64Array.from(gradient),
      evaluations,
      wolfe: false,
    };
  };

  for (let i = 0; evaluations < MAX_EVALUATIONS; i++) {
    const point = evaluate(step);
    if (point.value < value && (best === undefined || point.value < best.point.value))
      best = { step, point };
    if (!Number.isFinite(point.value)) {
      // Undefined region: shrink towards the last good step.
      step = previousStep + (step - previousStep) / 10;
      continue;
    }
    if (point.value > value + C1 * step * slope0 || (i > 0 && point.value >= previous.value)) {
      return zoom(previousStep, previous, step, point);
    }
    if (Math.abs(point.slope) <= -C2 * slope0) return accept(step, point, true);
    if (point.slope >= 0) return zoom(step, point, previousStep, previous);
    previousStep = step;
    previous = point;
    step *= 2;
  }
  return fallback();
}

/** Minimiser of the cubic interpolating f and f' at two points (N&W eq. 3.59). */
function cubicMinimizer(
  x0: number,
  f0: number,
  g0: number,
  x1: number,
  f1: number,
  g1: number,
): number {
  const d1 = g0 + g1 - (3 * (f0 - f1)) / (x0 - x1);
  const radicand = d1 * d1 - g0 * g1;
  if (!(radicand >= 0)) return Number.NaN;
  const d2 = Math.sign(x1 - x0) * Math.sqrt(radicand);
  return x1 - ((x1 - x0) * (g1 + d2 - d1)) / (g1 - g0 + 2 * d2);
}

/** Dot product of two equal-length vectors. */
export function dot(u: ArrayLike<number>, v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
  return s;
}
