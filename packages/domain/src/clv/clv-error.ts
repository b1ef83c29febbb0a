/** Why CLV input or a CLV fit was rejected. */
export type ClvErrorCode =
  | "EMPTY_INPUT"
  | "TOO_FEW_CUSTOMERS"
  | "NO_REPEAT_CUSTOMERS"
  | "NEGATIVE_AMOUNT"
  | "INVALID_NUMBER"
  | "INVALID_DATE"
  | "INVALID_CUSTOMER_ID"
  | "FUTURE_DATE"
  | "CALIBRATION_BEFORE_FIRST_PURCHASE"
  | "INVALID_SUMMARY"
  | "INVALID_PARAMETER"
  | "INVALID_MONEY"
  | "GAMMA_GAMMA_Q_NOT_ABOVE_ONE"
  | "NOT_CONVERGED";

/**
 * An expected failure of the CLV models: bad input or a model that cannot be fitted. `code` is
 * stable for programs; `message` says what is wrong and where (input position, customer id,
 * field); `field` and `index` carry the location when there is one.
 */
export class ClvError extends Error {
  override readonly name = "ClvError";
  constructor(
    readonly code: ClvErrorCode,
    message: string,
    readonly location: { index?: number; field?: string; customerId?: string } = {},
  ) {
    super(message);
  }
}
