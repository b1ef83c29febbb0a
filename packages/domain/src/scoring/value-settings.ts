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

/** Bounds of the numeric settings, shared by every client that checks them before sending. */
export const VALUE_SETTINGS_BOUNDS = {
  horizonMonths: { min: 1, max: 120 },
  rate: { min: "0", max: "1", maxDecimals: 12 },
} as const;

/** Why a setting was refused; clients translate these, the message is for logs and the CLI. */
export type SettingsIssueCode =
  | "MODEL_UNKNOWN"
  | "HORIZON_NOT_WHOLE"
  | "HORIZON_OUT_OF_RANGE"
  | "RATE_NOT_DECIMAL"
  | "RATE_OUT_OF_RANGE"
  | "CAC_SOURCE_UNKNOWN"
  | "FIXED_CAC_REQUIRED"
  | "FIXED_CAC_NEGATIVE"
  | "FIXED_CAC_WITHOUT_FIXED_SOURCE"
  | "TIME_UNIT_UNKNOWN";

/** One reason why settings were refused; `field` names the setting, min/max the bounds broken. */
export interface SettingsIssue {
  field: keyof ValueSettings;
  code: SettingsIssueCode;
  message: string;
  min?: string;
  max?: string;
}

// Digits with an optional fraction: "0", "0.015", "1.000", "5". Range and precision are
// checked apart so that "5" is refused as out of range rather than as malformed.
const DECIMAL = /^\d+(\.\d+)?$/;

function rateIssue(
  field: "monthlyDiscountRate" | "defaultMarginRate",
  text: string,
): SettingsIssue | null {
  const { min, max, maxDecimals } = VALUE_SETTINGS_BOUNDS.rate;
  const match = DECIMAL.exec(text);
  if (!match || (match[1] ?? "").length - 1 > maxDecimals) {
    return {
      field,
      code: "RATE_NOT_DECIMAL",
      message: `${field} must be a decimal such as 0.01 with at most ${maxDecimals} decimals (got "${text}")`,
    };
  }
  const [whole, fraction = ""] = text.split(".");
  // Compared as text: 1 is the largest allowed, so only "1" with a zero fraction passes.
  const wholeValue = Number(whole);
  if (wholeValue > 1 || (wholeValue === 1 && /[1-9]/.test(fraction))) {
    return {
      field,
      code: "RATE_OUT_OF_RANGE",
      message: `${field} must be from ${min} to ${max} (got "${text}")`,
      min,
      max,
    };
  }
  return null;
}

/**
 * Checks settings as a whole (the CAC amount goes with the CAC source). The server refuses
 * with these issues and never clamps, and the admin form checks with the same rules.
 *
 * @param settings the candidate settings.
 * @returns every problem found, in field order, empty when the settings are valid.
 * @example
 * validateValueSettings({ ...defaultValueSettings("0.3"), horizonMonths: 0 })[0];
 * // { field: "horizonMonths", code: "HORIZON_OUT_OF_RANGE", min: "1", max: "120", message: … }
 */
export function validateValueSettings(settings: ValueSettings): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  if (!VALUE_MODELS.includes(settings.model)) {
    issues.push({
      field: "model",
      code: "MODEL_UNKNOWN",
      message: `model must be one of ${VALUE_MODELS.join(", ")} (got ${String(settings.model)})`,
    });
  }
  const horizon = settings.horizonMonths;
  const { min, max } = VALUE_SETTINGS_BOUNDS.horizonMonths;
  if (!Number.isInteger(horizon)) {
    issues.push({
      field: "horizonMonths",
      code: "HORIZON_NOT_WHOLE",
      message: `the horizon must be a whole number of months (got ${horizon})`,
    });
  } else if (horizon < min || horizon > max) {
    issues.push({
      field: "horizonMonths",
      code: "HORIZON_OUT_OF_RANGE",
      message: `the horizon must be from ${min} to ${max} months (got ${horizon})`,
      min: String(min),
      max: String(max),
    });
  }
  for (const field of ["monthlyDiscountRate", "defaultMarginRate"] as const) {
    const issue = rateIssue(field, settings[field]);
    if (issue) issues.push(issue);
  }
  if (!CAC_SOURCES.includes(settings.cacSource)) {
    issues.push({
      field: "cacSource",
      code: "CAC_SOURCE_UNKNOWN",
      message: `the CAC source must be one of ${CAC_SOURCES.join(", ")} (got ${String(settings.cacSource)})`,
    });
  } else if (settings.cacSource === "fixed") {
    const cac = settings.fixedCacMinor;
    if (cac === null) {
      issues.push({
        field: "fixedCacMinor",
        code: "FIXED_CAC_REQUIRED",
        message: "a fixed CAC source needs a fixed amount",
      });
    } else if (!Number.isSafeInteger(cac) || cac < 0) {
      issues.push({
        field: "fixedCacMinor",
        code: "FIXED_CAC_NEGATIVE",
        message: `the fixed CAC must be a whole number of minor units of at least 0 (got ${cac})`,
        min: "0",
      });
    }
  } else if (settings.fixedCacMinor !== null) {
    issues.push({
      field: "fixedCacMinor",
      code: "FIXED_CAC_WITHOUT_FIXED_SOURCE",
      message: "a fixed CAC amount only applies when the CAC source is fixed",
    });
  }
  if (!TIME_UNITS.includes(settings.timeUnit)) {
    issues.push({
      field: "timeUnit",
      code: "TIME_UNIT_UNKNOWN",
      message: `the time unit must be one of ${TIME_UNITS.join(", ")} (got ${String(settings.timeUnit)})`,
    });
  }
  return issues;
}
