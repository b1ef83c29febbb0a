import type {
  CalendarUnit,
  CapPeriodKind,
  EarnBasis,
  ExpiryKind,
  LoyaltySettingsInput,
  NegativeBalancePolicy,
  PointsRounding,
} from "../../gql/graphql";

/** The loyalty settings as the API returns them (the fields the form reads). */
export interface LoyaltySettingsValue {
  earnBasis: EarnBasis;
  pointsPerUnit: string;
  rounding: PointsRounding;
  tierMultipliers: ReadonlyArray<{ tier: string; multiplier: string }>;
  perOrderCap?: number | null;
  periodCap?: { period: CapPeriodKind; days?: number | null; points: number } | null;
  pendingDays: number;
  expiry: {
    kind: ExpiryKind;
    days?: number | null;
    unit?: CalendarUnit | null;
    count?: number | null;
  };
  negativeBalance: NegativeBalancePolicy;
  costPerPointMinor: string;
  bonusEvents: ReadonlyArray<{ event: string; points: number }>;
}

/**
 * The settings form as the user edits it: numbers that may be blank (null), one multiplier
 * row per tier (blank: the tier earns at 1), the optional caps behind switches.
 */
export interface LoyaltySettingsDraft {
  earnBasis: EarnBasis;
  pointsPerUnit: string;
  rounding: PointsRounding;
  tierMultipliers: { tier: string; multiplier: string }[];
  perOrderCapOn: boolean;
  perOrderCap: number | null;
  periodCapOn: boolean;
  periodCapPeriod: CapPeriodKind;
  periodCapDays: number | null;
  periodCapPoints: number | null;
  pendingDays: number | null;
  expiryKind: ExpiryKind;
  expiryDays: number | null;
  expiryUnit: CalendarUnit;
  expiryCount: number | null;
  negativeBalance: NegativeBalancePolicy;
  costPerPointMinor: string;
  bonusEvents: { event: string; points: number | null }[];
}

/**
 * The form's starting state: the saved settings, with a multiplier row for every tier of the
 * tier list (in rank order) and then any tier the settings name that the list no longer has.
 *
 * @param settings - loyaltySettings as answered.
 * @param tierKeys - the tiers' keys, best first.
 * @returns a fresh draft.
 * @example
 * settingsDraft(settings, ["high", "low"]).tierMultipliers
 * // [{ tier: "high", multiplier: "2" }, { tier: "low", multiplier: "" }]
 */
export function settingsDraft(
  settings: LoyaltySettingsValue,
  tierKeys: readonly string[],
): LoyaltySettingsDraft {
  const saved = new Map(settings.tierMultipliers.map((m) => [m.tier, m.multiplier]));
  const keys = [...tierKeys, ...[...saved.keys()].filter((key) => !tierKeys.includes(key))];
  return {
    earnBasis: settings.earnBasis,
    pointsPerUnit: settings.pointsPerUnit,
    rounding: settings.rounding,
    tierMultipliers: keys.map((tier) => ({ tier, multiplier: saved.get(tier) ?? "" })),
    perOrderCapOn: settings.perOrderCap != null,
    perOrderCap: settings.perOrderCap ?? null,
    periodCapOn: settings.periodCap != null,
    periodCapPeriod: settings.periodCap?.period ?? "MONTH",
    periodCapDays: settings.periodCap?.days ?? 30,
    periodCapPoints: settings.periodCap?.points ?? null,
    pendingDays: settings.pendingDays,
    expiryKind: settings.expiry.kind,
    expiryDays: settings.expiry.days ?? 365,
    expiryUnit: settings.expiry.unit ?? "YEAR",
    expiryCount: settings.expiry.count ?? 1,
    negativeBalance: settings.negativeBalance,
    costPerPointMinor: settings.costPerPointMinor,
    bonusEvents: settings.bonusEvents.map((b) => ({ event: b.event, points: b.points })),
  };
}

/**
 * What the form sends to updateLoyaltySettings: text trimmed, blank multipliers left out (the
 * tier earns at 1), a switched-off cap as null, only the fields of the chosen expiry kind.
 * A blank number goes as NaN so that the rules (form and API) name it, never as 0.
 *
 * @param draft - the form.
 * @returns the mutation's input.
 */
export function settingsInput(draft: LoyaltySettingsDraft): LoyaltySettingsInput {
  const whole = (n: number | null): number => (n === null ? Number.NaN : n);
  return {
    earnBasis: draft.earnBasis,
    pointsPerUnit: draft.pointsPerUnit.trim(),
    rounding: draft.rounding,
    tierMultipliers: draft.tierMultipliers
      .filter((m) => m.multiplier.trim() !== "")
      .map((m) => ({ tier: m.tier, multiplier: m.multiplier.trim() })),
    perOrderCap: draft.perOrderCapOn ? whole(draft.perOrderCap) : null,
    periodCap: draft.periodCapOn
      ? {
          period: draft.periodCapPeriod,
          points: whole(draft.periodCapPoints),
          ...(draft.periodCapPeriod === "ROLLING_DAYS" ? { days: whole(draft.periodCapDays) } : {}),
        }
      : null,
    pendingDays: whole(draft.pendingDays),
    expiry:
      draft.expiryKind === "ROLLING"
        ? { kind: "ROLLING", days: whole(draft.expiryDays) }
        : draft.expiryKind === "CALENDAR"
          ? { kind: "CALENDAR", unit: draft.expiryUnit, count: whole(draft.expiryCount) }
          : { kind: "NONE" },
    negativeBalance: draft.negativeBalance,
    costPerPointMinor: draft.costPerPointMinor.trim(),
    bonusEvents: draft.bonusEvents
      .filter((b) => b.event.trim() !== "" || b.points !== null)
      .map((b) => ({ event: b.event.trim(), points: whole(b.points) })),
  };
}
