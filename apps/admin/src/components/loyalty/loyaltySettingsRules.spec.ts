import { describe, expect, it } from "vitest";
import { validateLoyaltySettings, type LoyaltySettings } from "@valuetier/domain";
import type { LoyaltySettingsInput } from "../../gql/graphql";
import { settingsDraft, settingsInput, type LoyaltySettingsDraft } from "./loyaltySettingsForm";
import { loyaltySettingsMessage, loyaltySettingsProblems } from "./loyaltySettingsRules";

const SAVED = {
  earnBasis: "AMOUNT",
  pointsPerUnit: "1",
  rounding: "FLOOR",
  tierMultipliers: [{ tier: "high", multiplier: "2" }],
  perOrderCap: null,
  periodCap: null,
  pendingDays: 30,
  expiry: { kind: "ROLLING", days: 365, unit: null, count: null },
  negativeBalance: "CAP_AT_ZERO",
  costPerPointMinor: "1",
  bonusEvents: [{ event: "sign_up", points: 100 }],
} as const;

const draft = (patch: Partial<LoyaltySettingsDraft> = {}): LoyaltySettingsDraft => ({
  ...settingsDraft(
    { ...SAVED, tierMultipliers: [...SAVED.tierMultipliers], bonusEvents: [...SAVED.bonusEvents] },
    ["high", "mid", "low"],
  ),
  ...patch,
});

/** What the API does with the input (loyalty.resolver.ts fromSettingsInput, then the domain). */
function apiAnswer(input: LoyaltySettingsInput): [string, string][] {
  const cap = input.periodCap;
  const settings: LoyaltySettings = {
    earnBasis: input.earnBasis === "AMOUNT" ? "amount" : "margin",
    pointsPerUnit: input.pointsPerUnit,
    rounding: input.rounding === "FLOOR" ? "floor" : "half_up",
    tierMultipliers: Object.fromEntries(input.tierMultipliers.map((m) => [m.tier, m.multiplier])),
    perOrderCap: input.perOrderCap ?? null,
    periodCap: cap
      ? {
          period:
            cap.period === "ROLLING_DAYS"
              ? { kind: "rolling_days", days: cap.days as number }
              : { kind: cap.period.toLowerCase() as "day" | "month" | "year" },
          points: cap.points,
        }
      : null,
    pendingDays: input.pendingDays,
    expiry:
      input.expiry.kind === "ROLLING"
        ? { kind: "rolling", days: input.expiry.days as number }
        : input.expiry.kind === "CALENDAR"
          ? {
              kind: "calendar",
              unit: input.expiry.unit === "MONTH" ? "month" : "year",
              count: input.expiry.count as number,
            }
          : { kind: "none" },
    negativeBalance: input.negativeBalance === "CAP_AT_ZERO" ? "cap_at_zero" : "allow_negative",
    costPerPointMinor: input.costPerPointMinor,
    bonusEvents: Object.fromEntries(input.bonusEvents.map((b) => [b.event, b.points])),
  };
  return validateLoyaltySettings(settings).map((i) => [i.field, i.code]);
}

const CASES: [string, Partial<LoyaltySettingsDraft>][] = [
  ["the saved settings", {}],
  ["a rate of 1.5", { pointsPerUnit: "1.5" }],
  ["a rate with a comma", { pointsPerUnit: "1,5" }],
  ["a zero rate", { pointsPerUnit: "0.00" }],
  ["a negative rate", { pointsPerUnit: "-1" }],
  ["a blank rate", { pointsPerUnit: "  " }],
  ["13 decimals", { pointsPerUnit: "0.0000000000001" }],
  [
    "a zero multiplier and a blank one",
    {
      tierMultipliers: [
        { tier: "high", multiplier: "0" },
        { tier: "mid", multiplier: "" },
        { tier: "low", multiplier: "1.25" },
      ],
    },
  ],
  ["a multiplier that is not a number", { tierMultipliers: [{ tier: "high", multiplier: "x2" }] }],
  ["a tier key the API cannot take", { tierMultipliers: [{ tier: "High", multiplier: "2" }] }],
  ["a per-order cap of 500", { perOrderCapOn: true, perOrderCap: 500 }],
  ["a per-order cap of 0", { perOrderCapOn: true, perOrderCap: 0 }],
  ["a blank per-order cap", { perOrderCapOn: true, perOrderCap: null }],
  ["a per-order cap that is off", { perOrderCapOn: false, perOrderCap: 0 }],
  ["a monthly cap", { periodCapOn: true, periodCapPeriod: "MONTH", periodCapPoints: 1000 }],
  [
    "a rolling cap of 0 days",
    { periodCapOn: true, periodCapPeriod: "ROLLING_DAYS", periodCapDays: 0, periodCapPoints: 5 },
  ],
  [
    "a rolling cap with blank points",
    { periodCapOn: true, periodCapPeriod: "ROLLING_DAYS", periodCapDays: 7, periodCapPoints: null },
  ],
  ["pending 0 days", { pendingDays: 0 }],
  ["pending 366 days", { pendingDays: 366 }],
  ["pending blank", { pendingDays: null }],
  ["pending 1.5 days", { pendingDays: 1.5 }],
  ["rolling expiry of 0 days", { expiryKind: "ROLLING", expiryDays: 0 }],
  ["rolling expiry of 3651 days", { expiryKind: "ROLLING", expiryDays: 3651 }],
  ["calendar expiry at month end", { expiryKind: "CALENDAR", expiryUnit: "MONTH", expiryCount: 0 }],
  [
    "calendar expiry of 121 years",
    { expiryKind: "CALENDAR", expiryUnit: "YEAR", expiryCount: 121 },
  ],
  ["no expiry, with bad hidden days", { expiryKind: "NONE", expiryDays: -4 }],
  ["a cost per point of 0.5", { costPerPointMinor: "0.5" }],
  ["a cost per point of 0", { costPerPointMinor: "0" }],
  ["a cost per point in euros", { costPerPointMinor: "€1" }],
  ["a bonus event with a space", { bonusEvents: [{ event: "first order", points: 10 }] }],
  ["a negative bonus", { bonusEvents: [{ event: "review", points: -5 }] }],
  ["a bonus without points", { bonusEvents: [{ event: "review", points: null }] }],
  ["a blank bonus row", { bonusEvents: [{ event: "", points: null }] }],
];

describe("the admin's loyalty settings rules", () => {
  it.each(CASES)("answer as the API for %s", (_name, patch) => {
    const input = settingsInput(draft(patch));
    const mine = loyaltySettingsProblems(input).map((p) => [p.field, p.code]);
    expect(mine).toEqual(apiAnswer(input));
  });

  it("refuse a zero rate with its field", () => {
    expect(loyaltySettingsProblems(settingsInput(draft({ pointsPerUnit: "0" })))).toEqual([
      { field: "pointsPerUnit", code: "RATE_ZERO" },
    ]);
  });

  it("give the bounds of a day count", () => {
    expect(loyaltySettingsProblems(settingsInput(draft({ pendingDays: 400 })))).toEqual([
      { field: "pendingDays", code: "DAYS_OUT_OF_RANGE", min: 0, max: 365 },
    ]);
  });
});

describe("settingsDraft and settingsInput", () => {
  it("list every tier once, blank where the settings have no multiplier", () => {
    expect(draft().tierMultipliers).toEqual([
      { tier: "high", multiplier: "2" },
      { tier: "mid", multiplier: "" },
      { tier: "low", multiplier: "" },
    ]);
  });

  it("keep a multiplier of a tier the list no longer has", () => {
    const d = settingsDraft(
      { ...SAVED, tierMultipliers: [{ tier: "gone", multiplier: "3" }], bonusEvents: [] },
      ["high"],
    );
    expect(settingsInput(d).tierMultipliers).toEqual([{ tier: "gone", multiplier: "3" }]);
  });

  it("send the saved settings back unchanged", () => {
    expect(settingsInput(draft())).toEqual({
      earnBasis: "AMOUNT",
      pointsPerUnit: "1",
      rounding: "FLOOR",
      tierMultipliers: [{ tier: "high", multiplier: "2" }],
      perOrderCap: null,
      periodCap: null,
      pendingDays: 30,
      expiry: { kind: "ROLLING", days: 365 },
      negativeBalance: "CAP_AT_ZERO",
      costPerPointMinor: "1",
      bonusEvents: [{ event: "sign_up", points: 100 }],
    });
  });

  it("do not change the draft they read", () => {
    const d = draft({ pointsPerUnit: " 2 " });
    const copy = structuredClone(d);
    settingsInput(d);
    expect(d).toEqual(copy);
  });
});

describe("loyaltySettingsMessage", () => {
  it("reads the API's field path and fills in the bounds", () => {
    expect(loyaltySettingsMessage("DAYS_OUT_OF_RANGE", "input.expiry.days")).toEqual({
      key: "DAYS_OUT_OF_RANGE",
      values: { code: "DAYS_OUT_OF_RANGE", name: "days", min: 1, max: 3650 },
      field: "expiry.days",
    });
  });

  it("gives an unknown code the generic message", () => {
    expect(loyaltySettingsMessage("SOMETHING_NEW", null).key).toBe("other");
  });
});
