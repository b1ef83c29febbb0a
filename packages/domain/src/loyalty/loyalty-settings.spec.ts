import { describe, expect, it } from "vitest";
import {
  defaultLoyaltySettings,
  validateLoyaltySettings,
  type LoyaltySettings,
} from "./loyalty-settings";

const codes = (s: LoyaltySettings): [string, string][] =>
  validateLoyaltySettings(s).map((i) => [i.field, i.code]);

describe("validateLoyaltySettings", () => {
  it("accepts the defaults and a full set of valid rules", () => {
    expect(validateLoyaltySettings(defaultLoyaltySettings())).toEqual([]);
    expect(
      validateLoyaltySettings({
        ...defaultLoyaltySettings(),
        earnBasis: "margin",
        pointsPerUnit: "1.5",
        rounding: "half_up",
        tierMultipliers: { high: "2", mid_high: "1.25" },
        perOrderCap: 5000,
        periodCap: { period: { kind: "rolling_days", days: 30 }, points: 20000 },
        pendingDays: 0,
        expiry: { kind: "calendar", unit: "year", count: 1 },
        negativeBalance: "allow_negative",
        costPerPointMinor: "0.5",
      }),
    ).toEqual([]);
  });

  it("names each bad field with a code", () => {
    const bad = {
      ...defaultLoyaltySettings(),
      earnBasis: "profit",
      pointsPerUnit: "1,5",
      rounding: "ceil",
      tierMultipliers: { high: "0", "Gold!": "2" },
      perOrderCap: 0,
      periodCap: { period: { kind: "week" }, points: 1.5 },
      pendingDays: -1,
      expiry: { kind: "rolling", days: 0 },
      negativeBalance: "never",
      costPerPointMinor: "-1",
      bonusEvents: { birthday: -5, "Sign Up": 10 },
    } as unknown as LoyaltySettings;
    expect(codes(bad)).toEqual([
      ["earnBasis", "EARN_BASIS_UNKNOWN"],
      ["pointsPerUnit", "RATE_NOT_DECIMAL"],
      ["rounding", "ROUNDING_UNKNOWN"],
      ["tierMultipliers.high", "RATE_ZERO"],
      ["tierMultipliers.Gold!", "TIER_KEY_INVALID"],
      ["perOrderCap", "CAP_INVALID"],
      ["periodCap.period.kind", "PERIOD_UNKNOWN"],
      ["periodCap.points", "CAP_INVALID"],
      ["pendingDays", "DAYS_OUT_OF_RANGE"],
      ["expiry.days", "DAYS_OUT_OF_RANGE"],
      ["negativeBalance", "POLICY_UNKNOWN"],
      ["costPerPointMinor", "RATE_NOT_DECIMAL"],
      ["bonusEvents.birthday", "BONUS_INVALID"],
      ["bonusEvents.Sign Up", "EVENT_KEY_INVALID"],
    ]);
  });

  it("checks the calendar expiry and the rolling cap period", () => {
    expect(
      codes({
        ...defaultLoyaltySettings(),
        expiry: { kind: "calendar", unit: "week", count: -1 } as never,
        periodCap: { period: { kind: "rolling_days", days: 4000 }, points: 10 },
      }),
    ).toEqual([
      ["periodCap.period.days", "DAYS_OUT_OF_RANGE"],
      ["expiry.unit", "EXPIRY_UNKNOWN"],
      ["expiry.count", "DAYS_OUT_OF_RANGE"],
    ]);
    expect(codes({ ...defaultLoyaltySettings(), expiry: { kind: "soon" } as never })).toEqual([
      ["expiry.kind", "EXPIRY_UNKNOWN"],
    ]);
    expect(codes({ ...defaultLoyaltySettings(), pointsPerUnit: "0.00" })).toEqual([
      ["pointsPerUnit", "RATE_ZERO"],
    ]);
  });

  it("says what was wrong in the message and leaves the input alone", () => {
    const settings = { ...defaultLoyaltySettings(), pendingDays: 400 };
    const copy = JSON.parse(JSON.stringify(settings)) as typeof settings;
    expect(validateLoyaltySettings(settings)[0]!.message).toBe(
      "pendingDays must be a whole number from 0 to 365 (got 400)",
    );
    expect(settings).toEqual(copy);
  });
});
