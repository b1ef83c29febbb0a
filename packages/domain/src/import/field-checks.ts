import type { MoneyParseResult } from "../money";
import {
  DEFAULT_FUTURE_TOLERANCE_MS,
  type ImportErrorCode,
  type ImportFieldError,
  type RecordValidationOptions,
} from "./import-error";
import { parseTimestamp } from "./parse-timestamp";

/**
 * A required timestamp column: reports a missing, invalid or future value in `errors`.
 *
 * @returns the instant, or null when it was reported.
 */
export function requiredInstant(
  text: string | undefined,
  field: string,
  options: RecordValidationOptions,
  errors: ImportFieldError[],
): Date | null {
  const trimmed = text?.trim() ?? "";
  if (trimmed === "") {
    errors.push({ field, code: "REQUIRED", message: "is required" });
    return null;
  }
  const parsed = parseTimestamp(trimmed);
  const toleranceMs = options.futureToleranceMs ?? DEFAULT_FUTURE_TOLERANCE_MS;
  const now = options.now;
  if (!parsed.ok) {
    errors.push({ field, code: "INVALID_DATE", message: parsed.message });
    return null;
  }
  if (parsed.date.getTime() > now.getTime() + toleranceMs) {
    errors.push({
      field,
      code: "FUTURE_DATE",
      message: `${parsed.date.toISOString()} is in the future`,
    });
    return null;
  }
  return parsed.date;
}

const MONEY_CODES: Record<Exclude<MoneyParseResult, { ok: true }>["code"], ImportErrorCode> = {
  NOT_A_NUMBER: "INVALID_AMOUNT",
  TOO_MANY_DECIMALS: "TOO_MANY_DECIMALS",
  OUT_OF_RANGE: "OUT_OF_RANGE",
  UNKNOWN_CURRENCY: "UNKNOWN_CURRENCY",
};

/** Maps a refused money value to an import error for `field`. */
export function moneyError(
  field: string,
  result: Exclude<MoneyParseResult, { ok: true }>,
): ImportFieldError {
  return { field, code: MONEY_CODES[result.code], message: result.message };
}
