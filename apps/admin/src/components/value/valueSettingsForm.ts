import type { CacSource, TimeUnit, UpdateValueSettingsInput, ValueModel } from "../../gql/graphql";

/** The value settings as the form edits them: decimals stay strings, as the API sends them. */
export interface ValueSettingsDraft {
  model: ValueModel;
  horizonMonths: number | null;
  monthlyDiscountRate: string;
  defaultMarginRate: string;
  cacSource: CacSource;
  /** Decimal amount; "" when none is set. */
  fixedCac: string;
  timeUnit: TimeUnit;
}

/** The part of `ValueSettings` the form shows. */
export interface ValueSettingsLike {
  model: ValueModel;
  horizonMonths: number;
  monthlyDiscountRate: string;
  defaultMarginRate: string;
  cacSource: CacSource;
  fixedCac?: { amount: string } | null;
  timeUnit: TimeUnit;
}

// A plain non-negative decimal, as the API parses rates and amounts ("0.01", "25.00").
const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * Whether the text is a plain non-negative decimal number such as "0.01".
 *
 * @param text - user input.
 * @returns true for digits with an optional fraction, ignoring surrounding spaces.
 */
export function isPlainDecimal(text: string): boolean {
  return DECIMAL.test(text.trim());
}

/**
 * The form's starting values from the saved settings.
 *
 * @param settings - `valueSettings` (or the mutation's `settings`).
 * @returns a draft to edit.
 */
export function draftFromSettings(settings: ValueSettingsLike): ValueSettingsDraft {
  return {
    model: settings.model,
    horizonMonths: settings.horizonMonths,
    monthlyDiscountRate: settings.monthlyDiscountRate,
    defaultMarginRate: settings.defaultMarginRate,
    cacSource: settings.cacSource,
    fixedCac: settings.fixedCac?.amount ?? "",
    timeUnit: settings.timeUnit,
  };
}

/**
 * The `updateValueSettings` input for what the user changed, and nothing else: omitted fields
 * stay as they are on the server, and the audit log then records only real changes.
 *
 * @param saved - the draft made from the saved settings.
 * @param draft - the form as edited.
 * @returns the changed fields (empty when nothing changed). Text is trimmed; the fixed CAC
 *   is sent only with the FIXED source, and never empty (the API has no way to unset it).
 * @example
 * settingsPatch(saved, { ...saved, horizonMonths: 24 }) // { horizonMonths: 24 }
 */
export function settingsPatch(
  saved: ValueSettingsDraft,
  draft: ValueSettingsDraft,
): UpdateValueSettingsInput {
  const patch: UpdateValueSettingsInput = {};
  if (draft.model !== saved.model) patch.model = draft.model;
  if (draft.horizonMonths !== null && draft.horizonMonths !== saved.horizonMonths) {
    patch.horizonMonths = draft.horizonMonths;
  }
  const discount = draft.monthlyDiscountRate.trim();
  if (discount !== saved.monthlyDiscountRate) patch.monthlyDiscountRate = discount;
  const margin = draft.defaultMarginRate.trim();
  if (margin !== saved.defaultMarginRate) patch.defaultMarginRate = margin;
  if (draft.cacSource !== saved.cacSource) patch.cacSource = draft.cacSource;
  // The API refuses an amount with the CHANNEL source, and clears the stored one itself when
  // the source goes back to CHANNEL.
  const fixedCac = draft.fixedCac.trim();
  if (draft.cacSource === "FIXED" && fixedCac !== "" && fixedCac !== saved.fixedCac) {
    patch.fixedCac = fixedCac;
  }
  if (draft.timeUnit !== saved.timeUnit) patch.timeUnit = draft.timeUnit;
  return patch;
}
