import { currencyExponent, formatMoney } from "../money";
import type { ExperimentGroup } from "./assignment-groups";
import { campaignCost, type CampaignCost, type CampaignCostInput } from "./campaign-cost";
import type { Covariate } from "./cuped";
import { incrementalValue, type MoneyInterval } from "./incremental-value";
import { checkAlpha, MeasurementError } from "./measurement-error";
import { measureUplift, type UpliftOptions, type UpliftResult } from "./measure-uplift";
import { returnOnSpend, type ReturnOnSpend } from "./return-on-spend";

/** One customer of a campaign: group and outcomes in the measurement window. */
export interface CampaignCustomerOutcome {
  group: ExperimentGroup;
  /** Whether the customer ordered in the measurement window. */
  converted: boolean;
  /** Revenue in the window, whole minor units. */
  revenueMinor: number;
  /** Margin in the window, whole minor units. */
  marginMinor: number;
  /** Revenue in the pre-period (before launch), whole minor units; covariate. */
  preRevenueMinor?: number | null;
  /** Predicted CLV at launch in minor units (CUPAC covariate); null when not scored. */
  predictedClvMinor?: number | null;
}

export interface MeasureCampaignInput {
  customers: readonly CampaignCustomerOutcome[];
  currency: string;
  cost: Omit<CampaignCostInput, "currency">;
  alpha?: number;
  /** Planned group sizes (the frozen audience split), to tune each confidence sequence. */
  planned?: { treatment: number; control: number };
  /** Fixed mixing variances τ² per metric (override `planned`). */
  mixingVariances?: Partial<Record<"conversion" | "revenue" | "margin", number>>;
}

/** Totals of one group. */
export interface CampaignGroupTotals {
  customers: number;
  converted: number;
  revenue: string;
  margin: string;
  revenueMinor: number;
  marginMinor: number;
}

/** Everything `Campaign.results` shows. */
export interface CampaignResults {
  alpha: number;
  currency: string;
  treatment: CampaignGroupTotals;
  control: CampaignGroupTotals;
  /** Per-metric statistics; null while a group has fewer than 2 customers. */
  conversion: UpliftResult | null;
  revenuePerCustomer: UpliftResult | null;
  marginPerCustomer: UpliftResult | null;
  /** Δ revenue per customer × treated customers; `ci` fixed-horizon (Welch, CUPED-adjusted
   * when covariates exist), `sequentialCi` valid at any look. */
  incrementalRevenue: MoneyInterval | null;
  incrementalMargin: MoneyInterval | null;
  cost: CampaignCost;
  returnOnSpend: ReturnOnSpend | null;
  /** The revenue-per-customer confidence sequence excludes 0. */
  conclusive: boolean;
  /** Covariates used for CUPED (names as in `adjusted.theta`). */
  covariates: string[];
}

function whole(value: number, field: string, index: number): number {
  if (!Number.isSafeInteger(value)) {
    throw new MeasurementError(
      "INVALID_MONEY",
      `customers[${index}].${field} must be a whole number of minor units (got ${value})`,
      { index, field },
    );
  }
  return value;
}

/**
 * A covariate column from a nullable field: missing values take the mean of the present ones
 * and a 0/1 "missing" indicator is added, the usual way to keep every customer in a regression
 * adjustment without biasing it (randomisation makes missingness balanced too). Skipped when no
 * customer has a value.
 */
function covariateColumns(name: string, values: (number | null | undefined)[]): Covariate[] {
  let sum = 0;
  let present = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) return;
    whole(v, name, i);
    sum += v;
    present += 1;
  });
  if (present === 0) return [];
  const mean = sum / present;
  const column = Float64Array.from(values, (v) => (v === null || v === undefined ? mean : v));
  if (present === values.length) return [{ name, values: column }];
  const missing = Float64Array.from(values, (v) => (v === null || v === undefined ? 1 : 0));
  return [
    { name, values: column },
    { name: `${name}_missing`, values: missing },
  ];
}

/**
 * The results of a campaign from per-customer outcomes: group totals; conversion, revenue and
 * margin per customer compared with Welch intervals, CUPED on pre-period revenue and predicted
 * CLV at launch, and always-valid sequences; incremental revenue and margin in money; the cost
 * and the return on spend. Pure: the caller reads the outcomes and the points awarded.
 *
 * @param input customers, currency, cost inputs, alpha and the planned sizes.
 * @returns see {@link CampaignResults}.
 * @throws {MeasurementError} for amounts that are not whole minor units, bad groups or
 *   parameters; {@link UnknownCurrencyError} for an unknown currency.
 * @example
 * const r = measureCampaign({ customers, currency: "USD", cost: { pointsAwarded: 52000, costPerPointMinor: "1" } });
 * r.revenuePerCustomer?.sequential.conclusive; r.incrementalRevenue?.estimate; r.returnOnSpend?.ratio;
 */
export function measureCampaign(input: MeasureCampaignInput): CampaignResults {
  const alpha = input.alpha ?? 0.05;
  checkAlpha(alpha);
  currencyExponent(input.currency);
  const n = input.customers.length;
  const groups: ExperimentGroup[] = new Array(n);
  const converted = new Float64Array(n);
  const revenue = new Float64Array(n);
  const margin = new Float64Array(n);
  const totals = {
    treatment: { customers: 0, converted: 0, revenueMinor: 0, marginMinor: 0 },
    control: { customers: 0, converted: 0, revenueMinor: 0, marginMinor: 0 },
  };
  input.customers.forEach((c, i) => {
    if (c.group !== "treatment" && c.group !== "control") {
      throw new MeasurementError(
        "INVALID_GROUP",
        `customers[${i}].group must be "treatment" or "control" (got ${JSON.stringify(c.group)})`,
        { index: i, field: "group" },
      );
    }
    groups[i] = c.group;
    converted[i] = c.converted ? 1 : 0;
    revenue[i] = whole(c.revenueMinor, "revenueMinor", i);
    margin[i] = whole(c.marginMinor, "marginMinor", i);
    const t = totals[c.group];
    t.customers += 1;
    t.converted += c.converted ? 1 : 0;
    t.revenueMinor += c.revenueMinor;
    t.marginMinor += c.marginMinor;
  });
  const covariates = [
    ...covariateColumns(
      "pre_revenue",
      input.customers.map((c) => c.preRevenueMinor),
    ),
    ...covariateColumns(
      "predicted_clv",
      input.customers.map((c) => c.predictedClvMinor),
    ),
  ];
  const cost = campaignCost({ ...input.cost, currency: input.currency });
  const groupTotals = (t: (typeof totals)["treatment"]): CampaignGroupTotals => ({
    ...t,
    revenue: formatMoney(t.revenueMinor, input.currency),
    margin: formatMoney(t.marginMinor, input.currency),
  });
  const enough = totals.treatment.customers >= 2 && totals.control.customers >= 2;
  const measure = (
    outcome: Float64Array,
    metric: "conversion" | "revenue" | "margin",
  ): UpliftResult | null => {
    if (!enough) return null;
    const options: UpliftOptions = { alpha };
    const fixed = input.mixingVariances?.[metric];
    if (fixed !== undefined) options.mixingVariance = fixed;
    else if (input.planned) options.planned = input.planned;
    return measureUplift({ groups, outcome, covariates }, options);
  };
  const conversion = measure(converted, "conversion");
  const revenuePerCustomer = measure(revenue, "revenue");
  const marginPerCustomer = measure(margin, "margin");
  const money = (r: UpliftResult | null): MoneyInterval | null => {
    if (!r) return null;
    const best = r.adjusted ?? r.effect;
    return incrementalValue(
      { estimate: best.estimate, ci: best.ci, sequentialCi: r.sequential.ci },
      totals.treatment.customers,
      input.currency,
    );
  };
  const incrementalRevenue = money(revenuePerCustomer);
  const incrementalMargin = money(marginPerCustomer);
  return {
    alpha,
    currency: input.currency,
    treatment: groupTotals(totals.treatment),
    control: groupTotals(totals.control),
    conversion,
    revenuePerCustomer,
    marginPerCustomer,
    incrementalRevenue,
    incrementalMargin,
    cost,
    returnOnSpend: incrementalMargin ? returnOnSpend(incrementalMargin, cost) : null,
    conclusive: revenuePerCustomer?.sequential.conclusive ?? false,
    covariates: revenuePerCustomer?.adjusted?.covariates ?? [],
  };
}
