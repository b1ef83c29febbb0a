/** A money value as the API sends it: a decimal string in currency units and an ISO 4217 code. */
export interface MoneyValue {
  amount: string;
  currency: string;
}

// Plain decimal notation only; anything else is shown as received rather than guessed at.
const DECIMAL = /^-?\d+(\.\d+)?$/;

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Formats a decimal money string for display without converting it to a binary float:
 * `Intl.NumberFormat#format` takes the string as an exact decimal (ECMA-402 NumberFormat v3),
 * so large or many-digit amounts are not rounded through a double.
 *
 * @param money - `{ amount: "1234.50", currency: "USD" }` as returned by the API.
 * @param locale - a BCP 47 tag such as "en" or "zh-TW".
 * @returns the localised amount; the raw amount and code when either is not understood.
 * @example
 * formatMoney({ amount: "1234.5", currency: "USD" }, "en") // "$1,234.50"
 */
export function formatMoney(money: MoneyValue, locale: string): string {
  if (!DECIMAL.test(money.amount)) return `${money.amount} ${money.currency}`;
  try {
    return currencyFormatter(locale, money.currency).format(
      money.amount as Intl.StringNumericLiteral,
    );
  } catch {
    // An unknown currency code throws a RangeError: show the value, not an error.
    return `${money.amount} ${money.currency}`;
  }
}
