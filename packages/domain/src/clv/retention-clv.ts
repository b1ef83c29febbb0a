import {
  assertRange,
  divide,
  integer,
  multiply,
  parseRate,
  roundHalfEven,
  subtract,
  toMinorUnits,
  toSafeInteger,
  type MoneyInput,
  type RateInput,
} from "./exact-money";

/** Input of {@link retentionClv}. */
export interface RetentionClvInput {
  /** Margin per period while the customer stays, money. */
  marginPerPeriod: MoneyInput;
  /** Retention rate per period, in [0, 1]. */
  retentionRate: RateInput;
  /** Discount rate per period, ≥ 0. */
  discountRate: RateInput;
  /** Acquisition cost, money. Default 0. */
  acquisitionCost?: MoneyInput;
  currencyDecimals?: number;
}

/**
 * Retention-based CLV of Gupta & Lehmann, "Customers as assets", Journal of Interactive
 * Marketing 17(1), 2003: with a constant margin m per period, retention rate r and discount
 * rate d over an infinite horizon, CLV = m · r / (1 + d − r) (margins received at the end of
 * each period the customer is retained), minus acquisition cost. Exact, rounded half to even.
 *
 * @param input margin, retention, discount rate and CAC.
 * @returns CLV in integer minor units.
 * @throws {ClvError} INVALID_PARAMETER for r outside [0, 1], d < 0, or r = 1 with d = 0 (an
 *   infinite value).
 * @example
 * retentionClv({ marginPerPeriod: 10000, retentionRate: "0.8", discountRate: "0.1" }); // 26667 (= 100 × 0.8/0.3)
 */
export function retentionClv(input: RetentionClvInput): number {
  const decimals = input.currencyDecimals ?? 2;
  const margin = integer(toMinorUnits(input.marginPerPeriod, decimals, "marginPerPeriod"));
  const r = parseRate(input.retentionRate, "retentionRate");
  assertRange(r, 0, 1, "retentionRate");
  const d = parseRate(input.discountRate, "discountRate");
  assertRange(d, 0, Number.MAX_SAFE_INTEGER, "discountRate");
  const denominator = subtract({ n: d.d + d.n, d: d.d }, r);
  const value = divide(
    multiply(margin, r),
    denominator,
    "retention CLV (retention rate 1 with discount rate 0 is infinite)",
  );
  const cac = toMinorUnits(input.acquisitionCost ?? 0, decimals, "acquisitionCost");
  return toSafeInteger(roundHalfEven(value) - cac, "retention CLV");
}
