import { toMinorUnits, toSafeInteger, type MoneyInput } from "./exact-money";

/** Input of {@link historicalClv}. */
export interface HistoricalClvInput {
  /** Margin of each order to date (revenue − cost of goods), money. */
  orderMargins: readonly MoneyInput[];
  /** Acquisition cost (CAC) of this customer, money. Default 0. */
  acquisitionCost?: MoneyInput;
  /** Retention spend on this customer to date, money. Default 0. */
  retentionCost?: MoneyInput;
  /** Decimals of the currency's minor unit, for decimal-string inputs. Default 2. */
  currencyDecimals?: number;
}

/**
 * Historical (to-date) customer value: Σ order margin − acquisition cost − retention cost to
 * date. The backward-looking "past customer value" of Jain & Singh, "Customer lifetime value
 * research in marketing: a review and future directions", Journal of Interactive Marketing
 * 16(2), 2002, without the compounding of past flows. Exact integer arithmetic.
 *
 * @param input margins and costs (integer minor units or decimal strings).
 * @returns value to date in integer minor units (may be negative).
 * @throws {ClvError} INVALID_MONEY for amounts that are not exact money.
 * @example
 * historicalClv({ orderMargins: [1250, "7.50"], acquisitionCost: 500 }); // 1500
 */
export function historicalClv(input: HistoricalClvInput): number {
  const decimals = input.currencyDecimals ?? 2;
  let total = 0n;
  input.orderMargins.forEach((m, i) => (total += toMinorUnits(m, decimals, `orderMargins[${i}]`)));
  total -= toMinorUnits(input.acquisitionCost ?? 0, decimals, "acquisitionCost");
  total -= toMinorUnits(input.retentionCost ?? 0, decimals, "retentionCost");
  return toSafeInteger(total, "historical CLV");
}
