import { currencyExponent, isKnownCurrency } from "./currency";

/** Why a money string was refused. */
export type MoneyParseErrorCode =
  "NOT_A_NUMBER" | "TOO_MANY_DECIMALS" | "OUT_OF_RANGE" | "UNKNOWN_CURRENCY";

export type MoneyParseResult =
  { ok: true; minor: number } | { ok: false; code: MoneyParseErrorCode; message: string };

// Plain decimal notation only: optional sign, digits, optional fraction. No exponent, no
// thousands separators, no currency symbols, no "NaN"/"Infinity".
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal amount in currency units ("12.34") into integer minor units (1234 cents).
 *
 * The digits are handled as text and joined into one integer, so the result is exact: no
 * binary floating-point value is ever formed from the fraction. A fraction with more digits
 * than the currency has is refused rather than rounded, even when the extra digits are zeros,
 * because an export that writes "12.345" for USD is not saying what it means.
 *
 * @param text the amount; surrounding whitespace is ignored.
 * @param currency upper-case ISO 4217 code; it decides how many decimals are allowed.
 * @returns `{ ok: true, minor }`, or `{ ok: false, code, message }` saying what is wrong.
 * @example
 * parseMoney("12.34", "USD"); // { ok: true, minor: 1234 }
 * parseMoney("1200", "JPY"); // { ok: true, minor: 1200 }
 * parseMoney("1.005", "USD"); // { ok: false, code: "TOO_MANY_DECIMALS", … }
 */
export function parseMoney(text: string, currency: string): MoneyParseResult {
  if (!isKnownCurrency(currency)) {
    return { ok: false, code: "UNKNOWN_CURRENCY", message: `unknown currency "${currency}"` };
  }
  const match = DECIMAL.exec(text.trim());
  if (match === null) {
    return {
      ok: false,
      code: "NOT_A_NUMBER",
      message: `"${text}" is not a plain decimal number such as 12.34`,
    };
  }
  const [, sign, whole = "", fraction = ""] = match;
  const exponent = currencyExponent(currency);
  if (fraction.length > exponent) {
    return {
      ok: false,
      code: "TOO_MANY_DECIMALS",
      message:
        exponent === 0
          ? `"${text}" has decimals, but ${currency} has no minor unit`
          : `"${text}" has more than ${exponent} decimals for ${currency}`,
    };
  }
  const digits = whole + fraction.padEnd(exponent, "0");
  // Number() of a digit string is exact while the value is a safe integer, which is checked.
  const magnitude = Number(digits);
  if (!Number.isSafeInteger(magnitude)) {
    return { ok: false, code: "OUT_OF_RANGE", message: `"${text}" is too large` };
  }
  return { ok: true, minor: sign === "-" && magnitude !== 0 ? -magnitude : magnitude };
}
