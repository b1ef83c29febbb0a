import {
  add,
  assertRange,
  divide,
  integer,
  parseRate,
  roundHalfEven,
  toMinorUnits,
  toSafeInteger,
  type MoneyInput,
  type Rational,
  type RateInput,
} from "./exact-money";

/** Input of {@link discountedCashFlowClv}. */
export interface DiscountedCashFlowClvInput {
  /** Projected revenue and cost of periods t = 1, 2, ..., T (money). */
  cashFlows: readonly { revenue: MoneyInput; cost?: MoneyInput }[];
  /** Discount rate per period, ≥ 0 (e.g. "0.01" a month). */
  discountRate: RateInput;
  /** Acquisition cost paid now (t = 0, not discounted), money. Default 0. */
  acquisitionCost?: MoneyInput;
  currencyDecimals?: number;
}

/**
 * Net present value of projected cash flows: Σ_{t=1..T} (revenue_t − cost_t) / (1 + d)^t − CAC,
 * flows at the end of each period (Berger & Nasr, "Customer lifetime value: marketing models
 * and applications", Journal of Interactive Marketing 12(1), 1998, case 1). Computed exactly
 * and rounded half to even once.
 *
 * @param input cash flows, discount rate and CAC.
 * @returns NPV in integer minor units.
 * @throws {ClvError} INVALID_PARAMETER for a negative discount rate; INVALID_MONEY for bad
 *   amounts.
 * @example
 * discountedCashFlowClv({ cashFlows: [{ revenue: 11000 }, { revenue: 12100 }], discountRate: "0.1" }); // 20000
 */
export function discountedCashFlowClv(input: DiscountedCashFlowClvInput): number {
  const decimals = input.currencyDecimals ?? 2;
  const rate = parseRate(input.discountRate, "discountRate");
  assertRange(rate, 0, Number.MAX_SAFE_INTEGER, "discountRate");
  const growth: Rational = { n: rate.d + rate.n, d: rate.d }; // 1 + d
  let factor: Rational = { n: 1n, d: 1n };
  let total: Rational = { n: 0n, d: 1n };
  input.cashFlows.forEach((flow, i) => {
    factor = { n: factor.n * growth.n, d: factor.d * growth.d };
    const net =
      toMinorUnits(flow.revenue, decimals, `cashFlows[${i}].revenue`) -
      toMinorUnits(flow.cost ?? 0, decimals, `cashFlows[${i}].cost`);
    total = add(total, divide(integer(net), factor, "discount factor"));
  });
  const cac = toMinorUnits(input.acquisitionCost ?? 0, decimals, "acquisitionCost");
  return toSafeInteger(roundHalfEven(total) - cac, "discounted cash flow CLV");
}
