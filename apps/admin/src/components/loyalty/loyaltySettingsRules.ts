import type { LoyaltySettingsInput } from "../../gql/graphql";

/*
 * The admin's copy of @valuetier/domain's validateLoyaltySettings (as the API applies it in
 * updateLoyaltySettings). The admin bundle cannot take the domain package (CommonJS), so the
 * rules are mirrored here, and loyaltySettingsRules.spec.ts checks that both give the same
 * fields and codes on a table of cases.
 */

/** As the domain's LOYALTY_SETTINGS_BOUNDS. */
export const LOYALTY_BOUNDS = {
  pendingDays: { min: 0, max: 365 },
  days: { min: 1, max: 3650 },
  calendarCount: { min: 0, max: 120 },
  points: { min: 1, max: 1_000_000_000 },
  bonusPoints: { min: 0, max: 1_000_000_000 },
} as const;

/** One refusal: the domain's field path (e.g. `expiry.days`), its code and the bounds. */
export interface LoyaltySettingsProblem {
  field: string;
  code: string;
  min?: number;
  max?: number;
}

// As the domain's isDecimalText: up to 15 whole digits and 12 decimals, no sign or exponent.
const DECIMAL = /^(\d{1,15})(?:\.(\d{1,12}))?$/;
const KEY = /^[a-z][a-z0-9_]{0,39}$/;

const wholeIn = (value: unknown, min: number, max: number): boolean =>
  Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;

/**
 * What the API would refuse in the settings the form sends, in the domain's order.
 *
 * @param input - settingsInput(draft).
 * @returns every problem; empty when the API would accept the settings.
 * @example
 * loyaltySettingsProblems({ ...input, pointsPerUnit: "0" })
 * // [{ field: "pointsPerUnit", code: "RATE_ZERO" }]
 */
export function loyaltySettingsProblems(input: LoyaltySettingsInput): LoyaltySettingsProblem[] {
  const problems: LoyaltySettingsProblem[] = [];
  const rate = (field: string, value: string): void => {
    if (!DECIMAL.test(value)) problems.push({ field, code: "RATE_NOT_DECIMAL" });
    else if (!/[1-9]/.test(value)) problems.push({ field, code: "RATE_ZERO" });
  };
  const days = (field: string, value: unknown, bounds: { min: number; max: number }): void => {
    if (!wholeIn(value, bounds.min, bounds.max)) {
      problems.push({ field, code: "DAYS_OUT_OF_RANGE", ...bounds });
    }
  };
  const cap = (field: string, value: unknown): void => {
    if (!wholeIn(value, LOYALTY_BOUNDS.points.min, LOYALTY_BOUNDS.points.max)) {
      problems.push({ field, code: "CAP_INVALID", ...LOYALTY_BOUNDS.points });
    }
  };

  rate("pointsPerUnit", input.pointsPerUnit);
  // The API reads the list into a map: a tier named twice keeps its last multiplier.
  const multipliers = new Map(input.tierMultipliers.map((m) => [m.tier, m.multiplier]));
  for (const [tier, multiplier] of multipliers) {
    if (!KEY.test(tier))
      problems.push({ field: `tierMultipliers.${tier}`, code: "TIER_KEY_INVALID" });
    rate(`tierMultipliers.${tier}`, multiplier);
  }
  if (input.perOrderCap != null) cap("perOrderCap", input.perOrderCap);
  if (input.periodCap) {
    if (input.periodCap.period === "ROLLING_DAYS") {
      days("periodCap.period.days", input.periodCap.days, LOYALTY_BOUNDS.days);
    }
    cap("periodCap.points", input.periodCap.points);
  }
  days("pendingDays", input.pendingDays, LOYALTY_BOUNDS.pendingDays);
  if (input.expiry.kind === "ROLLING") days("expiry.days", input.expiry.days, LOYALTY_BOUNDS.days);
  else if (input.expiry.kind === "CALENDAR") {
    days("expiry.count", input.expiry.count, LOYALTY_BOUNDS.calendarCount);
  }
  if (!DECIMAL.test(input.costPerPointMinor)) {
    problems.push({ field: "costPerPointMinor", code: "RATE_NOT_DECIMAL" });
  }
  const bonuses = new Map(input.bonusEvents.map((b) => [b.event, b.points]));
  for (const [event, points] of bonuses) {
    if (!KEY.test(event))
      problems.push({ field: `bonusEvents.${event}`, code: "EVENT_KEY_INVALID" });
    if (!wholeIn(points, LOYALTY_BOUNDS.bonusPoints.min, LOYALTY_BOUNDS.bonusPoints.max)) {
      problems.push({
        field: `bonusEvents.${event}`,
        code: "BONUS_INVALID",
        ...LOYALTY_BOUNDS.bonusPoints,
      });
    }
  }
  return problems;
}

/** Refusal codes with their own message under loyalty.settings.errors. */
export const LOYALTY_SETTINGS_CODES = [
  "RATE_NOT_DECIMAL",
  "RATE_ZERO",
  "TIER_KEY_INVALID",
  "CAP_INVALID",
  "DAYS_OUT_OF_RANGE",
  "EVENT_KEY_INVALID",
  "BONUS_INVALID",
] as const;

/** The bounds a field's numbers must lie in, for an API refusal that gives none. */
function boundsOf(field: string): { min: number; max: number } | undefined {
  if (field === "pendingDays") return LOYALTY_BOUNDS.pendingDays;
  if (field === "expiry.count") return LOYALTY_BOUNDS.calendarCount;
  if (field === "expiry.days" || field === "periodCap.period.days") return LOYALTY_BOUNDS.days;
  if (field === "perOrderCap" || field === "periodCap.points") return LOYALTY_BOUNDS.points;
  if (field.startsWith("bonusEvents.")) return LOYALTY_BOUNDS.bonusPoints;
  return undefined;
}

/**
 * The message key and values for a refusal, from the form or from the API (whose `field` is
 * `input.<path>`), so the admin shows its own translated text and never the API's English.
 *
 * @param code - a refusal code.
 * @param field - the domain path or the API's `input.<path>`.
 * @returns the key under loyalty.settings.errors, its values, and the path without `input.`.
 */
export function loyaltySettingsMessage(
  code: string,
  field: string | null,
): { key: string; values: Record<string, string | number>; field: string } {
  const path = (field ?? "").replace(/^input\./, "");
  const bounds = boundsOf(path);
  const key = (LOYALTY_SETTINGS_CODES as readonly string[]).includes(code) ? code : "other";
  const name = path.includes(".") ? path.slice(path.indexOf(".") + 1) : path;
  return { key, values: { code, name, ...(bounds ?? {}) }, field: path };
}
