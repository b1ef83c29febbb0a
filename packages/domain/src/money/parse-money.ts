import { currencyExponent, isKnownCurrency } from "./currency";

/** Why a money string was refused. */
export type MoneyParseErrorCode =
  "NOT_A_NUMBER" | "TOO_MANY_DECIMALS" | "OUT_OF_RANGE" | "UNKNOWN_CURRENCY";

export type MoneyParseResult =
  { ok: true; minor: number } | { ok: false; code: MoneyParseErrorCode; message: string };

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
  const exponent = currencyExponent(currency);
  // Plain decimal notation only: optional sign, digits, optionally "." and digits. No
  // exponent, no grouping, no symbol, no "NaN"/"Infinity". The value is built digit by digit
  // as an integer (exact below 2^53, which is checked), so no fraction is ever a binary float.
  const s = text.trim();
  let i = s[0] === "-" || s[0] === "+" ? 1 : 0;
  const negative = s[0] === "-";
  let value = 0;
  let wholeDigits = 0;
  let fractionDigits = -1; // -1: no decimal point yet
  let tooLarge = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */ && fractionDigits < 0) {
      fractionDigits = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return notANumber(text);
    if (fractionDigits >= 0) fractionDigits++;
    else wholeDigits++;
    value = value * 10 + d;
    if (value > Number.MAX_SAFE_INTEGER) tooLarge = true;
  }
  if (wholeDigits === 0 || fractionDigits === 0) return notANumber(text);
  if (fractionDigits > exponent) {
    return {
      ok: false,
      code: "TOO_MANY_DECIMALS",
      message:
        exponent === 0
          ? `"${text}" has decimals, but ${currency} has no minor unit`
          : `"${text}" has more than ${exponent} decimals for ${currency}`,
    };
  }
  for (let k = Math.max(fractionDigits, 0); k < exponent; k++) value *= 10;
  if (tooLarge || !Number.isSafeInteger(value)) {
    return { ok: false, code: "OUT_OF_RANGE", message: `"${text}" is too large` };
  }
  return { ok: true, minor: negative && value !== 0 ? -value : value };
}

function notANumber(text: string): MoneyParseResult {
  return {
    ok: false,
    code: "NOT_A_NUMBER",
    message: `"${text}" is not a plain decimal number such as 12.34`,
  };
}
