import { bgNbdConditionalExpectedPurchases } from "./bg-nbd-conditional-expected-purchases";
import type { PurchaseHistory } from "./bg-nbd-history";
import type { BgNbdParams } from "./bg-nbd-params";
import { ClvError } from "./clv-error";
import { roundHalfEvenNumber } from "./exact-money";
import { unitsPerMonth, type TimeUnit } from "./time-unit";

/** Options of {@link predictiveClv}. */
export interface PredictiveClvOptions {
  /** The time unit the BG/NBD model was fitted in. */
  timeUnit: TimeUnit;
  /** Horizon H in whole months. Default 12. */
  horizonMonths?: number;
  /** Monthly discount rate d ≥ 0. Default 0.01. */
  monthlyDiscountRate?: number;
  /** Margin rate applied to expected spend, in [0, 1]. Default 1. */
  margin?: number;
  /**
   * Cost of serving or retaining this customer per month, in integer minor units, charged for
   * every month of the horizon and discounted like the revenue. Default 0.
   */
  monthlyCost?: number;
  /** Digits of the currency's minor unit (2 for cents). Default 2. */
  currencyDecimals?: number;
}

/** A customer's predictive value. */
export interface PredictiveClv {
  /** E[Y(H)]: expected repeat purchases over the horizon. */
  expectedPurchases: number;
  /** Discounted CLV in integer minor units (rounded half to even). */
  clv: number;
}

/**
 * Discounted predictive CLV as in the lifetimes library (`customer_lifetime_value`) and
 * docs/clv-models.md: with monthly steps k = 1..H,
 *
 *     CLV = Σ_k [ E[M] · margin · (E[Y(k)] − E[Y(k−1)]) − cost ] / (1 + d)^k
 *
 * where E[Y(·)] is BG/NBD's conditional expectation (FHL 2005 eq. 10) with months converted to
 * the model's unit (30.4375 days a month) and E[M] the Gamma-Gamma expected spend. The sum is a
 * statistical estimate in floating point; it becomes money only at the end, rounded half to
 * even to minor units.
 *
 * @param bgnbd fitted BG/NBD parameters.
 * @param expectedSpend E[M | x, m̄] in currency units (from gammaGammaExpectedSpend).
 * @param history the customer's (x, t_x, T).
 * @param options unit, horizon, discount, margin, monthly cost.
 * @returns expected purchases over the horizon and CLV in minor units.
 * @throws {ClvError} INVALID_PARAMETER for a negative or fractional horizon, a negative
 *   discount rate, a margin outside [0, 1], a non-integer cost or a negative expected spend.
 * @example
 * predictiveClv(cdnowParams, 24.4, { frequency: 2, recency: 30.43, T: 38.86 }, { timeUnit: "week" }).clv; // 3592 (35.92)
 */
export function predictiveClv(
  bgnbd: BgNbdParams,
  expectedSpend: number,
  history: PurchaseHistory,
  options: PredictiveClvOptions,
): PredictiveClv {
  const profile = discountedPurchaseProfile(bgnbd, history, options);
  return predictiveClvFromProfile(profile, expectedSpend, options);
}

/** The spend-independent part of predictive CLV for one purchase history. */
export interface DiscountedPurchaseProfile {
  /** E[Y(H)]: expected repeat purchases over the horizon. */
  expectedPurchases: number;
  /** Σ_k (E[Y(k)] − E[Y(k−1)]) / (1 + d)^k over the monthly steps. */
  discountedPurchases: number;
  /** Σ_k 1 / (1 + d)^k: the present value of one unit of monthly cost. */
  discountFactorSum: number;
}

/**
 * The BG/NBD side of {@link predictiveClv}: expected purchases month by month, discounted. It
 * depends only on (x, t_x, T), so customers with the same history share it; combine it with
 * each customer's expected spend in {@link predictiveClvFromProfile}.
 *
 * @param bgnbd fitted BG/NBD parameters.
 * @param history x, t_x, T.
 * @param options unit, horizon in whole months (default 12), monthly discount rate (default 0.01).
 * @returns expected purchases, discounted purchases and the discount-factor sum.
 * @throws {ClvError} INVALID_PARAMETER for a negative or fractional horizon or a negative rate.
 */
export function discountedPurchaseProfile(
  bgnbd: BgNbdParams,
  history: PurchaseHistory,
  options: Pick<PredictiveClvOptions, "timeUnit" | "horizonMonths" | "monthlyDiscountRate">,
): DiscountedPurchaseProfile {
  const horizon = options.horizonMonths ?? 12;
  const d = options.monthlyDiscountRate ?? 0.01;
  if (!Number.isInteger(horizon) || horizon < 0) {
    throw new ClvError(
      "INVALID_PARAMETER",
      `horizon must be a whole number of months ≥ 0 (got ${horizon})`,
      {
        field: "horizonMonths",
      },
    );
  }
  if (!(d >= 0) || !Number.isFinite(d)) {
    throw new ClvError("INVALID_PARAMETER", `discount rate must be ≥ 0 (got ${d})`, {
      field: "monthlyDiscountRate",
    });
  }
  const month = unitsPerMonth(options.timeUnit);
  let previous = 0;
  let discountedPurchases = 0;
  let discountFactorSum = 0;
  for (let k = 1; k <= horizon; k++) {
    const cumulative = bgNbdConditionalExpectedPurchases(bgnbd, history, k * month);
    const factor = 1 / Math.pow(1 + d, k);
    discountedPurchases += (cumulative - previous) * factor;
    discountFactorSum += factor;
    previous = cumulative;
  }
  return { expectedPurchases: previous, discountedPurchases, discountFactorSum };
}

/**
 * Predictive CLV from a purchase profile and the customer's expected spend:
 * E[M] · margin · discountedPurchases − monthlyCost · discountFactorSum, in minor units,
 * rounded half to even.
 *
 * @param profile from {@link discountedPurchaseProfile}.
 * @param expectedSpend E[M] in currency units.
 * @param options margin (default 1), monthly cost in minor units (default 0), currency decimals (default 2).
 * @returns expected purchases and CLV in integer minor units.
 * @throws {ClvError} INVALID_PARAMETER for a margin outside [0, 1], a non-integer cost, a
 *   negative expected spend or currency decimals outside 0..6.
 */
export function predictiveClvFromProfile(
  profile: DiscountedPurchaseProfile,
  expectedSpend: number,
  options: Pick<PredictiveClvOptions, "margin" | "monthlyCost" | "currencyDecimals"> = {},
): PredictiveClv {
  const margin = options.margin ?? 1;
  const cost = options.monthlyCost ?? 0;
  const decimals = options.currencyDecimals ?? 2;
  if (!(margin >= 0 && margin <= 1)) {
    throw new ClvError("INVALID_PARAMETER", `margin must be between 0 and 1 (got ${margin})`, {
      field: "margin",
    });
  }
  if (!Number.isSafeInteger(cost)) {
    throw new ClvError(
      "INVALID_PARAMETER",
      `monthly cost must be an integer number of minor units (got ${cost})`,
      {
        field: "monthlyCost",
      },
    );
  }
  if (!(expectedSpend >= 0) || !Number.isFinite(expectedSpend)) {
    throw new ClvError("INVALID_PARAMETER", `expected spend must be ≥ 0 (got ${expectedSpend})`, {
      field: "expectedSpend",
    });
  }
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) {
    throw new ClvError("INVALID_PARAMETER", `currency decimals must be 0..6 (got ${decimals})`, {
      field: "currencyDecimals",
    });
  }
  const value =
    expectedSpend * 10 ** decimals * margin * profile.discountedPurchases -
    cost * profile.discountFactorSum;
  return { expectedPurchases: profile.expectedPurchases, clv: roundHalfEvenNumber(value) };
}
