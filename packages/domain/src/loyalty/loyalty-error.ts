/** Why a loyalty operation or its input was refused. */
export type LoyaltyErrorCode =
  | "INVALID_DECIMAL"
  | "INVALID_POINTS"
  | "INVALID_MONEY"
  | "INVALID_TIME"
  | "INVALID_TEXT"
  | "INVALID_SETTINGS"
  | "UNKNOWN_BONUS_EVENT"
  | "UNKNOWN_SOURCE"
  | "INSUFFICIENT_POINTS"
  | "REFUND_EXCEEDS_ORDER"
  | "CLOCK_WENT_BACK";

/**
 * An expected failure of the loyalty rules. `code` is stable for programs; `message` says what
 * is wrong and where; `field` names the input when there is one.
 */
export class LoyaltyError extends Error {
  override readonly name = "LoyaltyError";
  constructor(
    readonly code: LoyaltyErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
