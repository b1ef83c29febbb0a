import { isDecimalText } from "./loyalty-decimal";

/** What an order's points are computed on: what the customer paid, or the margin on it. */
export type EarnBasis = "amount" | "margin";
export const EARN_BASES: readonly EarnBasis[] = ["amount", "margin"];

/**
 * How the exact product of amount × rate × multipliers becomes whole points, applied once per
 * order after every multiplier (never per line or per factor, so no fractional point is ever
 * created and none is lost twice): `floor` drops the fraction, `half_up` rounds halves up.
 */
export type PointsRounding = "floor" | "half_up";
export const POINTS_ROUNDINGS: readonly PointsRounding[] = ["floor", "half_up"];

/**
 * The window a per-period cap counts over: a UTC calendar day, month or year, or the last
 * `days` days up to the order (rolling).
 */
export type CapPeriod = { kind: "day" | "month" | "year" } | { kind: "rolling_days"; days: number };

/**
 * When earned points expire (all instants UTC):
 * - `none`: never;
 * - `rolling`: `days` days after they were earned;
 * - `calendar`: at the end of the `count`-th month (or year) after the month (year) of earning,
 *   so `count: 0` means the end of the month of earning and `{ unit: "year", count: 1 }` the end
 *   of next year.
 */
export type ExpiryRule =
  | { kind: "none" }
  | { kind: "rolling"; days: number }
  | { kind: "calendar"; unit: "month" | "year"; count: number };

/**
 * What a refund does when the points it reverses were already spent: `allow_negative` takes the
 * rest from the balance and lets it go below zero (a debt that the next points repay first);
 * `cap_at_zero` takes what the balance has and forgives the rest. Either way the entry records
 * how much was collected, owed and forgiven.
 */
export type NegativeBalancePolicy = "allow_negative" | "cap_at_zero";
export const NEGATIVE_BALANCE_POLICIES: readonly NegativeBalancePolicy[] = [
  "allow_negative",
  "cap_at_zero",
];

/** The tunable rules of the loyalty programme. Rates are decimal strings so they stay exact. */
export interface LoyaltySettings {
  earnBasis: EarnBasis;
  /** Points per currency unit (not minor unit) of the basis, e.g. "1" or "1.5". */
  pointsPerUnit: string;
  rounding: PointsRounding;
  /** Tier key → multiplier, e.g. `{ high: "2" }`; a tier not listed earns at "1". */
  tierMultipliers: Readonly<Record<string, string>>;
  /** Most points one order can earn, or null for no cap. */
  perOrderCap: number | null;
  /** Most points earned from orders within a period, or null for no cap. */
  periodCap: { period: CapPeriod; points: number } | null;
  /** Days a purchase's points stay pending (the return window) before they can be spent. */
  pendingDays: number;
  expiry: ExpiryRule;
  negativeBalance: NegativeBalancePolicy;
  /** What one point costs the business, in minor units, e.g. "1" (1 cent) or "0.5". */
  costPerPointMinor: string;
  /** Named events → bonus points, e.g. `{ sign_up: 100, birthday: 50, review: 20 }`. */
  bonusEvents: Readonly<Record<string, number>>;
}

/**
 * Defaults: 1 point per unit spent, floored per order, no multipliers or caps, a 30-day return
 * window, expiry 365 days after earning, refunds capped at zero, 1 minor unit per point, and
 * bonuses for sign-up, birthday and a review.
 *
 * @returns a fresh settings object.
 * @example
 * defaultLoyaltySettings().pendingDays; // 30
 */
export function defaultLoyaltySettings(): LoyaltySettings {
  return {
    earnBasis: "amount",
    pointsPerUnit: "1",
    rounding: "floor",
    tierMultipliers: {},
    perOrderCap: null,
    periodCap: null,
    pendingDays: 30,
    expiry: { kind: "rolling", days: 365 },
    negativeBalance: "cap_at_zero",
    costPerPointMinor: "1",
    bonusEvents: { sign_up: 100, birthday: 50, review: 20 },
  };
}

/** Bounds of the numeric settings, shared by every client that checks them before sending. */
export const LOYALTY_SETTINGS_BOUNDS = {
  pendingDays: { min: 0, max: 365 },
  days: { min: 1, max: 3650 },
  calendarCount: { min: 0, max: 120 },
  points: { min: 1, max: 1_000_000_000 },
  bonusPoints: { min: 0, max: 1_000_000_000 },
} as const;

export type LoyaltySettingsIssueCode =
  | "EARN_BASIS_UNKNOWN"
  | "RATE_NOT_DECIMAL"
  | "RATE_ZERO"
  | "ROUNDING_UNKNOWN"
  | "TIER_KEY_INVALID"
  | "CAP_INVALID"
  | "PERIOD_UNKNOWN"
  | "DAYS_OUT_OF_RANGE"
  | "EXPIRY_UNKNOWN"
  | "POLICY_UNKNOWN"
  | "EVENT_KEY_INVALID"
  | "BONUS_INVALID";

/** One reason why loyalty settings were refused; `field` is a path such as `expiry.days`. */
export interface LoyaltySettingsIssue {
  field: string;
  code: LoyaltySettingsIssueCode;
  message: string;
}

const KEY = /^[a-z][a-z0-9_]{0,39}$/;

function wholeIn(value: unknown, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

/**
 * Checks loyalty settings: known enum values, rates and multipliers plain decimals (the rate and
 * each multiplier above zero), caps whole points from 1 to 10^9, day counts within bounds, tier
 * and event keys lowercase identifiers, bonus points whole and not negative.
 *
 * @param settings the settings to check (any shape: a client may send anything).
 * @returns every problem, empty when valid; `field` is a path such as `tierMultipliers.high`.
 * @example
 * validateLoyaltySettings({ ...defaultLoyaltySettings(), pointsPerUnit: "1,5" })[0].code;
 * // "RATE_NOT_DECIMAL"
 */
export function validateLoyaltySettings(settings: LoyaltySettings): LoyaltySettingsIssue[] {
  const issues: LoyaltySettingsIssue[] = [];
  const add = (field: string, code: LoyaltySettingsIssueCode, message: string): void => {
    issues.push({ field, code, message });
  };
  const show = (x: unknown): string => JSON.stringify(x) ?? String(x);
  const rate = (field: string, value: unknown): void => {
    if (!isDecimalText(value)) {
      add(
        field,
        "RATE_NOT_DECIMAL",
        `${field} must be a decimal such as "1.5" (got ${show(value)})`,
      );
    } else if (!/[1-9]/.test(value)) {
      add(field, "RATE_ZERO", `${field} must be above 0 (got "${value}")`);
    }
  };
  const days = (field: string, value: unknown, min: number, max: number): void => {
    if (!wholeIn(value, min, max)) {
      add(
        field,
        "DAYS_OUT_OF_RANGE",
        `${field} must be a whole number from ${min} to ${max} (got ${show(value)})`,
      );
    }
  };
  const cap = (field: string, value: unknown): void => {
    const { min, max } = LOYALTY_SETTINGS_BOUNDS.points;
    if (!wholeIn(value, min, max)) {
      add(
        field,
        "CAP_INVALID",
        `${field} must be whole points from ${min} to ${max} (got ${show(value)})`,
      );
    }
  };

  if (!EARN_BASES.includes(settings.earnBasis)) {
    add(
      "earnBasis",
      "EARN_BASIS_UNKNOWN",
      `earnBasis must be one of ${EARN_BASES.join(", ")} (got ${show(settings.earnBasis)})`,
    );
  }
  rate("pointsPerUnit", settings.pointsPerUnit);
  if (!POINTS_ROUNDINGS.includes(settings.rounding)) {
    add(
      "rounding",
      "ROUNDING_UNKNOWN",
      `rounding must be one of ${POINTS_ROUNDINGS.join(", ")} (got ${show(settings.rounding)})`,
    );
  }
  for (const [tier, multiplier] of Object.entries(settings.tierMultipliers ?? {})) {
    if (!KEY.test(tier)) {
      add(
        `tierMultipliers.${tier}`,
        "TIER_KEY_INVALID",
        `tierMultipliers: ${show(tier)} is not a tier key (lowercase letters, digits, _)`,
      );
    }
    rate(`tierMultipliers.${tier}`, multiplier);
  }
  if (settings.perOrderCap !== null) cap("perOrderCap", settings.perOrderCap);
  if (settings.periodCap !== null) {
    const period = settings.periodCap?.period;
    if (period?.kind === "rolling_days") {
      const { min, max } = LOYALTY_SETTINGS_BOUNDS.days;
      days("periodCap.period.days", period.days, min, max);
    } else if (!["day", "month", "year"].includes(String(period?.kind))) {
      add(
        "periodCap.period.kind",
        "PERIOD_UNKNOWN",
        `periodCap.period.kind must be day, month, year or rolling_days (got ${show(period?.kind)})`,
      );
    }
    cap("periodCap.points", settings.periodCap?.points);
  }
  const pending = LOYALTY_SETTINGS_BOUNDS.pendingDays;
  days("pendingDays", settings.pendingDays, pending.min, pending.max);
  const expiry = settings.expiry;
  if (expiry?.kind === "rolling") {
    const { min, max } = LOYALTY_SETTINGS_BOUNDS.days;
    days("expiry.days", expiry.days, min, max);
  } else if (expiry?.kind === "calendar") {
    if (expiry.unit !== "month" && expiry.unit !== "year") {
      add(
        "expiry.unit",
        "EXPIRY_UNKNOWN",
        `expiry.unit must be month or year (got ${show(expiry.unit)})`,
      );
    }
    const { min, max } = LOYALTY_SETTINGS_BOUNDS.calendarCount;
    days("expiry.count", expiry.count, min, max);
  } else if (expiry?.kind !== "none") {
    add(
      "expiry.kind",
      "EXPIRY_UNKNOWN",
      `expiry.kind must be none, rolling or calendar (got ${show((expiry as { kind?: unknown } | undefined)?.kind)})`,
    );
  }
  if (!NEGATIVE_BALANCE_POLICIES.includes(settings.negativeBalance)) {
    add(
      "negativeBalance",
      "POLICY_UNKNOWN",
      `negativeBalance must be one of ${NEGATIVE_BALANCE_POLICIES.join(", ")} (got ${show(settings.negativeBalance)})`,
    );
  }
  if (!isDecimalText(settings.costPerPointMinor)) {
    add(
      "costPerPointMinor",
      "RATE_NOT_DECIMAL",
      `costPerPointMinor must be a decimal such as "0.5" (got ${show(settings.costPerPointMinor)})`,
    );
  }
  const bonus = LOYALTY_SETTINGS_BOUNDS.bonusPoints;
  for (const [event, points] of Object.entries(settings.bonusEvents ?? {})) {
    if (!KEY.test(event)) {
      add(
        `bonusEvents.${event}`,
        "EVENT_KEY_INVALID",
        `bonusEvents: ${show(event)} is not an event key (lowercase letters, digits, _)`,
      );
    }
    if (!wholeIn(points, bonus.min, bonus.max)) {
      add(
        `bonusEvents.${event}`,
        "BONUS_INVALID",
        `bonusEvents.${event} must be whole points from ${bonus.min} to ${bonus.max} (got ${show(points)})`,
      );
    }
  }
  return issues;
}
