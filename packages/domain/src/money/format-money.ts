import { currencyExponent } from "./currency";

/**
 * Formats integer minor units as a plain decimal string in currency units, with exactly the
 * currency's number of decimals: the inverse of {@link parseMoney}.
 *
 * @param minor amount in minor units; must be a safe integer.
 * @param currency upper-case ISO 4217 code.
 * @returns e.g. "12.34"; negative amounts start with "-"; no grouping, no symbol.
 * @throws {RangeError} when `minor` is not a safe integer.
 * @throws {UnknownCurrencyError} when the currency is unknown.
 * @example
 * formatMoney(1234, "USD"); // "12.34"
 * formatMoney(-5, "USD"); // "-0.05"
 * formatMoney(1200, "JPY"); // "1200"
 */
export function formatMoney(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) {
    throw new RangeError(`formatMoney: ${minor} is not a safe integer number of minor units`);
  }
  const exponent = currencyExponent(currency);
  const digits = String(Math.abs(minor));
  const sign = minor < 0 ? "-" : "";
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, "0");
  const cut = padded.length - exponent;
  return `${sign}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}
