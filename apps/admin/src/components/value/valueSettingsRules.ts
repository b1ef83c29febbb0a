import type { ValueSettingsDraft } from "./valueSettingsForm";

/*
 * The admin's copy of the value-settings rules of @valuetier/domain (validateValueSettings,
 * as the API applies them in updateValueSettings). The admin bundle cannot take the domain
 * package (CommonJS, with the CLV maths), so the rules are mirrored here and
 * valueSettingsRules.spec.ts checks that both give the same answers on a table of cases.
 */

/** Bounds as in the domain's VALUE_SETTINGS_BOUNDS. */
export const HORIZON_BOUNDS = { min: 1, max: 120 } as const;
export const RATE_BOUNDS = { min: "0", max: "1", maxDecimals: 12 } as const;

/** The domain's refusal codes, plus INVALID_MONEY, which the API gives for an unreadable amount. */
export type SettingsErrorCode =
  | "HORIZON_NOT_WHOLE"
  | "HORIZON_OUT_OF_RANGE"
  | "RATE_NOT_DECIMAL"
  | "RATE_OUT_OF_RANGE"
  | "FIXED_CAC_REQUIRED"
  | "FIXED_CAC_NEGATIVE"
  | "FIXED_CAC_WITHOUT_FIXED_SOURCE"
  | "INVALID_MONEY";

/** A field of the form, named as in UpdateValueSettingsInput (and in the API's `input.<field>`). */
export type SettingsField =
  "horizonMonths" | "monthlyDiscountRate" | "defaultMarginRate" | "fixedCac";

export interface SettingsProblem {
  field: SettingsField;
  code: SettingsErrorCode;
  min?: string;
  max?: string;
}

const DECIMAL = /^\d+(\.\d+)?$/;
const SIGNED_DECIMAL = /^[+-]?\d+(\.(\d+))?$/;

function rateProblem(field: SettingsField, text: string): SettingsProblem | null {
  const match = DECIMAL.exec(text);
  if (!match || (match[1] ?? "").length - 1 > RATE_BOUNDS.maxDecimals) {
    return { field, code: "RATE_NOT_DECIMAL" };
  }
  const [whole, fraction = ""] = text.split(".");
  const wholeValue = Number(whole);
  if (wholeValue > 1 || (wholeValue === 1 && /[1-9]/.test(fraction))) {
    return { field, code: "RATE_OUT_OF_RANGE", min: RATE_BOUNDS.min, max: RATE_BOUNDS.max };
  }
  return null;
}

/**
 * What the API would refuse in these settings, field by field, as the form holds them.
 *
 * @param draft - the form (text trimmed as settingsPatch sends it).
 * @param currencyDecimals - decimals of the store currency, for the fixed CAC amount.
 * @returns every problem, in the domain's field order; empty when the API would accept them.
 * @example
 * settingsProblems({ ...draft, horizonMonths: 0 }, 2)
 * // [{ field: "horizonMonths", code: "HORIZON_OUT_OF_RANGE", min: "1", max: "120" }]
 */
export function settingsProblems(
  draft: ValueSettingsDraft,
  currencyDecimals: number,
): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const horizon = draft.horizonMonths;
  if (horizon === null || !Number.isInteger(horizon)) {
    problems.push({ field: "horizonMonths", code: "HORIZON_NOT_WHOLE" });
  } else if (horizon < HORIZON_BOUNDS.min || horizon > HORIZON_BOUNDS.max) {
    problems.push({
      field: "horizonMonths",
      code: "HORIZON_OUT_OF_RANGE",
      min: String(HORIZON_BOUNDS.min),
      max: String(HORIZON_BOUNDS.max),
    });
  }
  for (const field of ["monthlyDiscountRate", "defaultMarginRate"] as const) {
    const problem = rateProblem(field, draft[field].trim());
    if (problem) problems.push(problem);
  }
  if (draft.cacSource === "FIXED") {
    const text = draft.fixedCac.trim();
    const match = SIGNED_DECIMAL.exec(text);
    if (text === "") {
      problems.push({ field: "fixedCac", code: "FIXED_CAC_REQUIRED" });
    } else if (!match || (match[2] ?? "").length > currencyDecimals) {
      problems.push({ field: "fixedCac", code: "INVALID_MONEY" });
    } else if (text.startsWith("-") && /[1-9]/.test(text)) {
      problems.push({ field: "fixedCac", code: "FIXED_CAC_NEGATIVE", min: "0" });
    }
  }
  return problems;
}

/**
 * The form field a `userErrors` entry of updateValueSettings is about.
 *
 * @param path - the error's `field`, e.g. "input.horizonMonths".
 * @returns the field, or null for an error not tied to one.
 */
export function settingsFieldOf(path: string | null): SettingsField | null {
  const name = path?.replace(/^input\./, "");
  return name === "horizonMonths" ||
    name === "monthlyDiscountRate" ||
    name === "defaultMarginRate" ||
    name === "fixedCac"
    ? name
    : null;
}

const KNOWN_CODES: readonly string[] = [
  "HORIZON_NOT_WHOLE",
  "HORIZON_OUT_OF_RANGE",
  "RATE_NOT_DECIMAL",
  "RATE_OUT_OF_RANGE",
  "FIXED_CAC_REQUIRED",
  "FIXED_CAC_NEGATIVE",
  "FIXED_CAC_WITHOUT_FIXED_SOURCE",
  "INVALID_MONEY",
  "MODEL_UNKNOWN",
  "CAC_SOURCE_UNKNOWN",
  "TIME_UNIT_UNKNOWN",
];

/**
 * The message key and its values for a refusal code, from the form or from the API, so that
 * the admin shows its own translated text and never the API's English message.
 *
 * @param code - a SettingsErrorCode or any code the API returns.
 * @returns the key under runs.settings.errors and the bounds to fill in; unknown codes get
 *   the generic "other" message with the code.
 */
export function settingsErrorMessage(code: string): {
  key: string;
  values: Record<string, string>;
} {
  if (!KNOWN_CODES.includes(code)) return { key: "other", values: { code } };
  if (code.startsWith("HORIZON_")) {
    return {
      key: code,
      values: { min: String(HORIZON_BOUNDS.min), max: String(HORIZON_BOUNDS.max) },
    };
  }
  if (code.startsWith("RATE_")) {
    return { key: code, values: { min: RATE_BOUNDS.min, max: RATE_BOUNDS.max } };
  }
  return { key: code, values: { min: "0" } };
}

/**
 * Decimals of a currency's minor unit (2 for USD, 0 for JPY), as Intl knows them.
 *
 * @param currency - ISO 4217 code.
 * @returns the number of decimals an amount may have; 2 when the code is not known.
 */
export function currencyDecimals(currency: string): number {
  try {
    return (
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}
