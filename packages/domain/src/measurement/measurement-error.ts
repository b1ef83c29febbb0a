/** Why measurement input was rejected. */
export type MeasurementErrorCode =
  | "INVALID_NUMBER"
  | "INVALID_PARAMETER"
  | "INVALID_GROUP"
  | "INVALID_SHAPE"
  | "TOO_FEW_CUSTOMERS"
  | "INVALID_MONEY";

/**
 * An expected failure of the measurement statistics: bad input or too little data. `code` is
 * stable for programs; `message` says what is wrong and where; `location` carries the input
 * position (`index`) and the input's name (`field`) when there is one.
 */
export class MeasurementError extends Error {
  override readonly name = "MeasurementError";
  constructor(
    readonly code: MeasurementErrorCode,
    message: string,
    readonly location: { index?: number; field?: string } = {},
  ) {
    super(message);
  }
}

/** Refuses an alpha outside (0, 1). */
export function checkAlpha(alpha: number, field = "alpha"): void {
  if (!(Number.isFinite(alpha) && alpha > 0 && alpha < 1)) {
    throw new MeasurementError(
      "INVALID_PARAMETER",
      `${field} must be a number strictly between 0 and 1 (got ${alpha})`,
      { field },
    );
  }
}
