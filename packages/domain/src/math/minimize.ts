import { minimizeBfgs, type MinimizeResult } from "./bfgs";
import type { ObjectiveWithGradient } from "./line-search";
import { MathError } from "./math-error";
import { minimizeNelderMead } from "./nelder-mead";

/** Options of {@link minimize}. */
export interface MinimizeOptions {
  /** Gradient tolerance (∞-norm) for convergence. Default 1e-8. */
  gradientTolerance?: number;
  /** Newton-decrement tolerance passed to BFGS (see BfgsOptions). Default 0 (off). */
  decrementTolerance?: number;
  /** What is being fitted, for the error message. */
  label?: string;
}

/**
 * Robust minimisation of a smooth objective: BFGS with a strong Wolfe line search; if that
 * does not reach the gradient tolerance, Nelder-Mead from the best point found, then BFGS
 * again from the simplex's best vertex (the simplex does not need gradients, so it gets out of
 * places where the quasi-Newton model breaks down, and BFGS then polishes).
 *
 * @param f objective with analytic gradient.
 * @param x0 start point.
 * @param options tolerance and a label for errors.
 * @returns a converged result.
 * @throws {MathError} OPTIMIZER_NOT_CONVERGED when neither path converges, with the last
 *   gradient norm in the message.
 */
export function minimize(
  f: ObjectiveWithGradient,
  x0: readonly number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  const gradientTolerance = options.gradientTolerance ?? 1e-8;
  const decrementTolerance = options.decrementTolerance ?? 0;
  const first = minimizeBfgs(f, x0, { gradientTolerance, decrementTolerance });
  if (first.converged) return first;
  const scratch = new Float64Array(x0.length);
  const start = Number.isFinite(first.value) ? first.x : [...x0];
  const simplex = minimizeNelderMead((x) => f(x, scratch), start);
  const polished = minimizeBfgs(f, simplex.x, { gradientTolerance, decrementTolerance });
  if (polished.converged) {
    return {
      ...polished,
      iterations: first.iterations + simplex.iterations + polished.iterations,
      evaluations: first.evaluations + simplex.evaluations + polished.evaluations,
      message: `BFGS failed (${first.message}); converged after a Nelder-Mead restart`,
    };
  }
  const gradientNorm = Math.max(...polished.gradient.map(Math.abs));
  throw new MathError(
    "OPTIMIZER_NOT_CONVERGED",
    `${options.label ?? "minimisation"} did not converge: BFGS stopped (${first.message}), Nelder-Mead and a second BFGS run left a gradient of ${gradientNorm.toExponential(2)} (tolerance ${gradientTolerance})`,
    polished.x,
  );
}
