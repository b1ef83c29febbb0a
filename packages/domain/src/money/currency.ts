/**
 * ISO 4217 currency codes and their minor-unit exponents, taken from the runtime's ICU data
 * (`Intl`), so that the list follows the standard without a table copied into the code.
 */

let knownCurrencies: ReadonlySet<string> | undefined;
const exponents = new Map<string, number>();

/**
 * Whether `code` is an ISO 4217 currency code the runtime knows (upper case, e.g. "USD").
 *
 * @param code the code to check; it must already be upper case.
 * @returns true for codes listed by `Intl.supportedValuesOf("currency")`.
 * @example
 * isKnownCurrency("EUR"); // true
 * isKnownCurrency("ABC"); // false
 */
export function isKnownCurrency(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf("currency"));
  return knownCurrencies.has(code);
}

/** Thrown when a currency code is not a known ISO 4217 code. */
export class UnknownCurrencyError extends Error {
  override readonly name = "UnknownCurrencyError";
  readonly code = "UNKNOWN_CURRENCY";
  constructor(readonly currency: string) {
    super(`unknown currency code "${currency}" (expected an ISO 4217 code such as USD)`);
  }
}

/**
 * The number of decimal places of a currency's minor unit: 2 for USD (cents), 0 for JPY,
 * 3 for BHD. This is ICU's `maximumFractionDigits` for the currency format, which follows the
 * ISO 4217 minor unit.
 *
 * @param currency an upper-case ISO 4217 code.
 * @returns the exponent, so that 1 unit = 10^exponent minor units.
 * @throws {UnknownCurrencyError} when the code is not a known currency.
 * @example
 * currencyExponent("USD"); // 2
 * currencyExponent("JPY"); // 0
 */
export function currencyExponent(currency: string): number {
  const cached = exponents.get(currency);
  if (cached !== undefined) return cached;
  if (!isKnownCurrency(currency)) throw new UnknownCurrencyError(currency);
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits;
  const exponent = digits ?? 2;
  exponents.set(currency, exponent);
  return exponent;
}
