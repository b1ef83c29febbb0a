import {
  assertRange,
  divide,
  integer,
  multiply,
  parseRate,
  roundHalfEven,
  toMinorUnits,
  toSafeInteger,
  type MoneyInput,
  type RateInput,
} from "./exact-money";

/** Input of {@link simpleProjectionClv}. */
export interface SimpleProjectionClvInput {
  /** Average order value (AOV), money. */
  averageOrderValue: MoneyInput;
  /** Purchases per period (≥ 0). */
  purchasesPerPeriod: RateInput;
  /** Share of customers lost per period, in (0, 1]; expected lifetime = 1 / churn periods. */
  churnRate: RateInput;
  /** Margin rate in [0, 1]. Default 1 (revenue CLV). */
  marginRate?: RateInput;
  /** Acquisition cost, money. Default 0. */
  acquisitionCost?: MoneyInput;
  currencyDecimals?: number;
}

/**
 * Simple projection CLV: AOV × purchases per period × expected lifetime × margin − CAC, with
 * expected lifetime = 1 / churn rate periods (the mean of a geometric lifetime). The common
 * planning formula, e.g. Jain & Singh 2002 (J. Interactive Marketing 16(2)) and Kumar,
 * "Managing Customers for Profit", 2008, ch. 2. Undiscounted. Computed exactly and rounded half
 * to even once.
 *
 * @param input AOV and CAC as money; frequency, churn and margin as rates.
 * @returns CLV in integer minor units.
 * @throws {ClvError} INVALID_PARAMETER for churn outside (0, 1], margin outside [0, 1] or a
 *   negative frequency; INVALID_MONEY / INVALID_NUMBER for bad amounts or rates.
 * @example
 * simpleProjectionClv({ averageOrderValue: "50.00", purchasesPerPeriod: 4, churnRate: "0.25", marginRate: "0.3" }); // 24000 (= 240.00)
 */
export function simpleProjectionClv(input: SimpleProjectionClvInput): number {
  const decimals = input.currencyDecimals ?? 2;
  const aov = integer(toMinorUnits(input.averageOrderValue, decimals, "averageOrderValue"));
  const frequency = parseRate(input.purchasesPerPeriod, "purchasesPerPeriod");
  assertRange(frequency, 0, Number.MAX_SAFE_INTEGER, "purchasesPerPeriod");
  const churn = parseRate(input.churnRate, "churnRate");
  assertRange(churn, 0, 1, "churnRate", true);
  const margin = parseRate(input.marginRate ?? 1, "marginRate");
  assertRange(margin, 0, 1, "marginRate");
  const value = divide(multiply(multiply(aov, frequency), margin), churn, "churnRate");
  const cac = toMinorUnits(input.acquisitionCost ?? 0, decimals, "acquisitionCost");
  return toSafeInteger(roundHalfEven(value) - cac, "simple projection CLV");
}
