import type { MoneyParseResult } from "../money";
import type { ImportErrorCode, ImportFieldError } from "./import-error";
import type { TimestampResult } from "./parse-timestamp";

/** Turns a parsed timestamp into a date, reporting invalid and future ones. */
export function checkInstant(
  parsed: TimestampResult,
  field: string,
  now: Date,
  toleranceMs: number,
  errors: ImportFieldError[],
): Date | null {
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
