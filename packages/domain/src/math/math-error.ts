/** Why a numerical routine gave up. */
export type MathErrorCode = "INVALID_ARGUMENT" | "SERIES_NOT_CONVERGED" | "OPTIMIZER_NOT_CONVERGED";

/** A numerical routine was called outside its domain, or did not converge. */
export class MathError extends Error {
  override readonly name = "MathError";
  constructor(
    readonly code: MathErrorCode,
    message: string,
    /** For OPTIMIZER_NOT_CONVERGED: the best point reached. */
    readonly lastPoint?: readonly number[],
  ) {
    super(message);
  }
}
