import { TIME_UNITS, type TimeUnit } from "../clv";

/**
 * How a scoring run turns a customer's history into one CLV figure (DOMAIN.md, "Customer
 * lifetime value"):
 * - `bgnbd`: discounted predictive CLV from BG/NBD + Gamma-Gamma (future margin, no CAC);
 * - `historical`: margin to date − CAC;
 * - `simple`: AOV × purchases a month × expected lifetime (1 / monthly churn) × margin − CAC;
 * - `dcf`: net present value of the expected monthly margin over the horizon;
 * - `retention`: Gupta & Lehmann's m · r / (1 + d − r) with monthly margin and retention.
 */
export type ValueModel = "bgnbd" | "historical" | "simple" | "dcf" | "retention";

export const VALUE_MODELS: readonly ValueModel[] = [
  "bgnbd",
  "historical",
  "simple",
  "dcf",
  "retention",
];

/**
 * Where a customer's acquisition cost (CAC) comes from: `channel`, the cost recorded on the
 * customer at import (acquisition_cost, set per acquisition channel by the business; none
 * recorded counts as 0), or `fixed`, one amount for every customer.
 */
export type CacSource = "channel" | "fixed";

export const CAC_SOURCES: readonly CacSource[] = ["channel", "fixed"];

/** The tunable inputs of a scoring run. Rates are decimal strings so that they stay exact. */
export interface ValueSettings {
  model: ValueModel;
  /** Forecast horizon of predictive and DCF CLV, in whole months (1..120). */
  horizonMonths: number;
  /** Discount rate per month, a decimal from 0 to 1, e.g. "0.01". */
  monthlyDiscountRate: string;
  /** Margin rate of orders imported without a margin, a decimal from 0 to 1, e.g. "0.3". */
  defaultMarginRate: string;
  cacSource: CacSource;
  /** The CAC of every customer in minor units when `cacSource` is `fixed`; otherwise null. */
  fixedCacMinor: number | null;
  /** Unit in which BG/NBD is fitted (recency, T and α are expressed in it). */
  timeUnit: TimeUnit;
}

/**
 * Defaults: the probabilistic model over a year at 1 % a month (about 12.7 % a year), weeks as
 * the time unit as in FHL 2005, CAC as recorded per customer.
 *
 * @param defaultMarginRate the installation's margin rate for orders without a margin.
 * @returns a fresh settings object.
 * @example
 * defaultValueSettings("0.3").model; // "bgnbd"
 */
export function defaultValueSettings(defaultMarginRate: string): ValueSettings {
  return {
    model: "bgnbd",
    horizonMonths: 12,
    monthlyDiscountRate: "0.01",
    defaultMarginRate,
    cacSource: "channel",
    fixedCacMinor: null,
    timeUnit: "week",
  };
}

/** One reason why settings were refused; `field` names the setting. */
export interface SettingsIssue {
  field: keyof ValueSettings;
  code: "INVALID_MODEL" | "INVALID_HORIZON" | "INVALID_RATE" | "INVALID_CAC" | "INVALID_TIME_UNIT";
  message: string;
}

// A plain decimal from 0 to 1 with at most 12 decimals: "0", "1", "0.015", "1.000".
const UNIT_DECIMAL = /^(0(\.\d{1,12})?|1(\.0{1,12})?)$/;

/**
 * Checks settings as a whole (the CAC amount goes with the CAC source).
 *
 * @param settings the candidate settings.
 * @returns the problems found, empty when the settings are valid.
 * @example
 * validateValueSettings({ ...defaultValueSettings("0.3"), horizonMonths: 0 })[0].code; // "INVALID_HORIZON"
 */
export function validateValueSettings(settings: ValueSettings): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  if (!VALUE_MODELS.includes(settings.model)) {
    issues.push({
      field: "model",
      code: "INVALID_MODEL",
      message: `model must be one of ${VALUE_MODELS.join(", ")} (got ${String(settings.model)})`,
    });
  }
  if (
    !Number.isInteger(settings.horizonMonths) ||
    settings.horizonMonths < 1 ||
    settings.horizonMonths > 120
  ) {
    issues.push({
      field: "horizonMonths",
      code: "INVALID_HORIZON",
      message: `the horizon must be a whole number of months from 1 to 120 (got ${settings.horizonMonths})`,
    });
  }
  for (const field of ["monthlyDiscountRate", "defaultMarginRate"] as const) {
    if (!UNIT_DECIMAL.test(settings[field])) {
      issues.push({
        field,
        code: "INVALID_RATE",
        message: `${field} must be a decimal from 0 to 1 such as 0.01 (got "${settings[field]}")`,
      });
    }
  }
  if (!CAC_SOURCES.includes(settings.cacSource)) {
    issues.push({
      field: "cacSource",
      code: "INVALID_CAC",
      message: `the CAC source must be one of ${CAC_SOURCES.join(", ")} (got ${String(settings.cacSource)})`,
    });
  } else if (settings.cacSource === "fixed") {
    const cac = settings.fixedCacMinor;
    if (cac === null || !Number.isSafeInteger(cac) || cac < 0) {
      issues.push({
        field: "fixedCacMinor",
        code: "INVALID_CAC",
        message: "a fixed CAC source needs a fixed amount of at least 0",
      });
    }
  } else if (settings.fixedCacMinor !== null) {
    issues.push({
      field: "fixedCacMinor",
      code: "INVALID_CAC",
      message: "a fixed CAC amount only applies when the CAC source is fixed",
    });
  }
  if (!TIME_UNITS.includes(settings.timeUnit)) {
    issues.push({
      field: "timeUnit",
      code: "INVALID_TIME_UNIT",
      message: `the time unit must be one of ${TIME_UNITS.join(", ")} (got ${String(settings.timeUnit)})`,
    });
  }
  return issues;
}
