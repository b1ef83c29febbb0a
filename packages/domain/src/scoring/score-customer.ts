import {
  bgNbdConditionalExpectedPurchases,
  bgNbdProbabilityAlive,
  ClvError,
  DAYS_PER_MONTH,
  discountedCashFlowClv,
  gammaGammaExpectedSpend,
  historicalClv,
  predictiveClv,
  retentionClv,
  roundHalfEven,
  roundHalfEvenNumber,
  simpleProjectionClv,
  unitsPerMonth,
  type BgNbdParams,
  type GammaGammaParams,
} from "../clv";
import { marginToDate } from "./margin-to-date";
import type { CustomerOrderAggregate } from "./order-aggregate";
import { summaryFromAggregate, type AggregateSummary } from "./summary-from-aggregate";
import type { ValueSettings } from "./value-settings";

/** What a scoring run fitted on the whole customer base. */
export interface FittedValueModels {
  /** null when BG/NBD could not be fitted (then there is no P(alive) or forecast). */
  bgnbd: BgNbdParams | null;
  /** null when Gamma-Gamma could not be fitted (then there is no expected order value). */
  gammaGamma: GammaGammaParams | null;
  /** Monthly retention rate of the base for the heuristic models; null when not measurable. */
  monthlyRetention: number | null;
}

/** Everything a customer's score depends on besides the customer. */
export interface ScoringContext {
  settings: ValueSettings;
  /** Last day of the observation (inclusive), the "now" of T. */
  endDay: number;
  currencyDecimals: number;
  models: FittedValueModels;
}

/** One customer as the scoring run reads them. */
export interface CustomerScoringInput {
  /** Completed orders; null for a customer who has not bought yet. */
  orders: CustomerOrderAggregate | null;
  /** Acquisition cost recorded on the customer (minor units); null when none. */
  acquisitionCostMinor: number | null;
}

/** A customer's value. Money in integer minor units; probabilities and counts are floats. */
export interface CustomerScore {
  /** Margin to date − CAC (docs/clv-models.md, historical CLV). */
  historicalValueMinor: number;
  /** CLV under the configured model; null when the model cannot value this customer. */
  clvMinor: number | null;
  pAlive: number | null;
  /** E[Y(horizon)], expected repeat purchase days over the horizon. */
  expectedPurchases: number | null;
  /** E[M | x, m̄] in minor units, rounded half to even. */
  expectedAverageValueMinor: number | null;
  /** Margin to date (minor units), with the default rate for orders without a margin. */
  marginMinor: number;
  /** The BG/NBD summary at the end day; null without orders. */
  summary: AggregateSummary | null;
  /** Why `clvMinor` is null although the customer has orders (for the run's warnings). */
  clvUnavailable: string | null;
}

/**
 * Scores one customer: historical value, P(alive), expected purchases and spend over the
 * horizon, and CLV under the configured model. Every CLV model is the clv module's; this
 * function only assembles their inputs from the aggregates:
 *
 * - CAC is the customer's recorded acquisition cost (0 when none) or the fixed amount.
 * - The customer's margin rate is margin to date / amount to date (the default rate filling in
 *   orders without a margin); `bgnbd` applies it to the expected spend.
 * - The heuristic models read AOV = amount / orders (rounded half to even to minor units),
 *   purchases a month = orders / max(1, tenure in months) with tenure from the first purchase
 *   day to the end day inclusive, monthly margin = AOV × purchases a month × margin rate, and
 *   the base's monthly retention r (churn 1 − r). `dcf` discounts the expected margin of month
 *   k, monthly margin · r^k, over the horizon; `retention` is m · r / (1 + d − r); `simple` is
 *   AOV × purchases a month × 1/churn × margin − CAC. As in docs/clv-models.md, only `historical` and
 *   `simple` subtract CAC; `bgnbd`, `dcf` and `retention` value the customer's future.
 * - A customer without orders is worth −CAC historically and has no forecast.
 *
 * @param input the customer's order aggregate and recorded CAC.
 * @param context settings, end day, currency decimals and fitted models.
 * @returns the score.
 * @throws {ClvError} for settings the clv functions reject (validate settings first).
 * @example
 * scoreCustomer({ orders: null, acquisitionCostMinor: 2500 }, context).historicalValueMinor; // -2500
 */
export function scoreCustomer(input: CustomerScoringInput, context: ScoringContext): CustomerScore {
  const { settings, models } = context;
  const cac =
    settings.cacSource === "fixed"
      ? (settings.fixedCacMinor ?? 0)
      : (input.acquisitionCostMinor ?? 0);
  const orders = input.orders;
  if (!orders || orders.orders === 0) {
    const historical = historicalClv({ orderMargins: [], acquisitionCost: cac });
    return {
      historicalValueMinor: historical,
      clvMinor: settings.model === "historical" ? historical : null,
      pAlive: null,
      expectedPurchases: null,
      expectedAverageValueMinor: null,
      marginMinor: 0,
      summary: null,
      clvUnavailable: null,
    };
  }
  const margin = marginToDate(orders, settings.defaultMarginRate);
  const historical = historicalClv({ orderMargins: [margin], acquisitionCost: cac });
  const marginRate =
    orders.amountMinor > 0 ? margin / orders.amountMinor : Number(settings.defaultMarginRate);
  const summary = summaryFromAggregate(
    orders,
    context.endDay,
    settings.timeUnit,
    context.currencyDecimals,
  );
  const scale = 10 ** context.currencyDecimals;
  const expectedSpend = models.gammaGamma
    ? gammaGammaExpectedSpend(models.gammaGamma, summary.frequency, summary.monetary)
    : null;
  let pAlive: number | null = null;
  let expectedPurchases: number | null = null;
  let predictive: number | null = null;
  if (models.bgnbd) {
    pAlive = bgNbdProbabilityAlive(models.bgnbd, summary);
    if (settings.model === "bgnbd" && expectedSpend !== null) {
      const result = predictiveClv(models.bgnbd, expectedSpend, summary, {
        timeUnit: settings.timeUnit,
        horizonMonths: settings.horizonMonths,
        monthlyDiscountRate: Number(settings.monthlyDiscountRate),
        margin: Math.min(1, Math.max(0, marginRate)),
        currencyDecimals: context.currencyDecimals,
      });
      expectedPurchases = result.expectedPurchases;
      predictive = result.clv;
    } else {
      expectedPurchases = bgNbdConditionalExpectedPurchases(
        models.bgnbd,
        summary,
        settings.horizonMonths * unitsPerMonth(settings.timeUnit),
      );
    }
  }
  const score: CustomerScore = {
    historicalValueMinor: historical,
    clvMinor: null,
    pAlive,
    expectedPurchases,
    expectedAverageValueMinor:
      expectedSpend === null ? null : roundHalfEvenNumber(expectedSpend * scale),
    marginMinor: margin,
    summary,
    clvUnavailable: null,
  };
  switch (settings.model) {
    case "historical":
      score.clvMinor = historical;
      break;
    case "bgnbd":
      score.clvMinor = predictive;
      if (predictive === null) {
        score.clvUnavailable = models.bgnbd
          ? "Gamma-Gamma could not be fitted"
          : "BG/NBD could not be fitted";
      }
      break;
    case "simple":
    case "dcf":
    case "retention":
      heuristicClv(score, orders, margin, cac, context);
      break;
    default:
      throw new ClvError("INVALID_PARAMETER", `unknown model ${String(settings.model)}`, {
        field: "model",
      });
  }
  return score;
}

/** Fills in `clvMinor` for the simple, DCF and retention models (see scoreCustomer). */
function heuristicClv(
  score: CustomerScore,
  orders: CustomerOrderAggregate,
  margin: number,
  cac: number,
  context: ScoringContext,
): void {
  const { settings } = context;
  const r = context.models.monthlyRetention;
  if (r === null) {
    score.clvUnavailable = "the monthly retention rate could not be measured";
    return;
  }
  const aov = Number(roundHalfEven({ n: BigInt(orders.amountMinor), d: BigInt(orders.orders) }));
  const tenureMonths = Math.max(1, (context.endDay - orders.firstDay + 1) / DAYS_PER_MONTH);
  const perMonth = orders.orders / tenureMonths;
  const marginRate = orders.amountMinor > 0 ? margin / orders.amountMinor : 0;
  const monthlyMargin = aov * perMonth * marginRate;
  const decimals = context.currencyDecimals;
  try {
    if (settings.model === "simple") {
      score.clvMinor = simpleProjectionClv({
        averageOrderValue: aov,
        purchasesPerPeriod: perMonth,
        churnRate: 1 - r,
        marginRate: Math.min(1, Math.max(0, marginRate)),
        acquisitionCost: cac,
        currencyDecimals: decimals,
      });
    } else if (settings.model === "retention") {
      score.clvMinor = retentionClv({
        marginPerPeriod: roundHalfEvenNumber(monthlyMargin),
        retentionRate: r,
        discountRate: settings.monthlyDiscountRate,
        currencyDecimals: decimals,
      });
    } else {
      score.clvMinor = discountedCashFlowClv({
        cashFlows: Array.from({ length: settings.horizonMonths }, (_, k) => ({
          revenue: roundHalfEvenNumber(monthlyMargin * Math.pow(r, k + 1)),
        })),
        discountRate: settings.monthlyDiscountRate,
        currencyDecimals: decimals,
      });
    }
  } catch (error) {
    if (!(error instanceof ClvError)) throw error;
    score.clvUnavailable = error.message;
  }
}
