// Money as integer minor units, converted to and from decimal text without binary floats.
export { currencyExponent, isKnownCurrency, UnknownCurrencyError } from "./currency";
export { parseMoney, type MoneyParseErrorCode, type MoneyParseResult } from "./parse-money";
export { formatMoney } from "./format-money";
