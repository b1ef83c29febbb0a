import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { bonusPoints, earnPoints, type EarnInput } from "./earn-points";
import { defaultLoyaltySettings, type LoyaltySettings } from "./loyalty-settings";

const settings = (over: Partial<LoyaltySettings> = {}): LoyaltySettings => ({
  ...defaultLoyaltySettings(),
  ...over,
});
const order = (over: Partial<EarnInput> = {}): EarnInput => ({
  amountMinor: 10_000,
  currencyExponent: 2,
  tier: null,
  ...over,
});

describe("earnPoints", () => {
  it("gives points per currency unit of the amount", () => {
    expect(earnPoints(settings(), order())).toEqual({
      points: 100,
      base: "100.000000",
      multipliers: [],
      uncapped: 100,
      cappedBy: null,
    });
  });

  it("rounds once per order by the stated rule", () => {
    // $12.34 × 1.5 = 18.51 points.
    const rate = { pointsPerUnit: "1.5" };
    expect(earnPoints(settings(rate), order({ amountMinor: 1234 })).points).toBe(18);
    expect(
      earnPoints(settings({ ...rate, rounding: "half_up" }), order({ amountMinor: 1234 })).points,
    ).toBe(19);
    // 0.50 of a point rounds up under half_up, 0.49 does not.
    expect(earnPoints(settings({ rounding: "half_up" }), order({ amountMinor: 50 })).points).toBe(
      1,
    );
    expect(earnPoints(settings({ rounding: "half_up" }), order({ amountMinor: 49 })).points).toBe(
      0,
    );
  });

  it("computes exactly where binary floats would lose a point", () => {
    // 100 × 0.29 is 28.999999999999996 in floats; exactly 29 points.
    expect(earnPoints(settings({ pointsPerUnit: "0.29" }), order()).points).toBe(29);
    // 100 × 1.15 × 3 is 344.99999999999994 in floats; exactly 345.
    expect(
      earnPoints(
        settings({ tierMultipliers: { high: "1.15" } }),
        order({ tier: "high", campaignMultipliers: ["3"] }),
      ).points,
    ).toBe(345);
  });

  it("reads the currency's exponent: yen have no minor unit", () => {
    expect(earnPoints(settings(), order({ amountMinor: 1500, currencyExponent: 0 })).points).toBe(
      1500,
    );
    expect(earnPoints(settings(), order({ amountMinor: 1500, currencyExponent: 3 })).points).toBe(
      1,
    );
  });

  it("multiplies by the tier and every active campaign, and says so", () => {
    const result = earnPoints(
      settings({ tierMultipliers: { high: "2" } }),
      order({ tier: "high", campaignMultipliers: ["1.5", "3"] }),
    );
    expect(result.points).toBe(900);
    expect(result.base).toBe("100.000000");
    expect(result.multipliers).toEqual([
      { kind: "tier", value: "2" },
      { kind: "campaign", value: "1.5" },
      { kind: "campaign", value: "3" },
    ]);
    // A tier without a multiplier earns at 1, whatever its name.
    expect(earnPoints(settings(), order({ tier: "constructor" })).points).toBe(100);
    expect(
      earnPoints(settings({ tierMultipliers: { high: "2" } }), order({ tier: "low" })).points,
    ).toBe(100);
  });

  it("applies the per-order cap, then what is left of the period cap", () => {
    const capped = settings({
      perOrderCap: 80,
      periodCap: { period: { kind: "month" }, points: 200 },
    });
    expect(earnPoints(capped, order())).toMatchObject({
      points: 80,
      uncapped: 100,
      cappedBy: "per_order",
    });
    expect(earnPoints(capped, order({ earnedInPeriod: 150 }))).toMatchObject({
      points: 50,
      cappedBy: "per_period",
    });
    expect(earnPoints(capped, order({ earnedInPeriod: 120 }))).toMatchObject({
      points: 80,
      cappedBy: "per_order",
    });
    // The period is used up (or over, after a settings change): nothing more, never negative.
    expect(earnPoints(capped, order({ earnedInPeriod: 250 })).points).toBe(0);
    // Exactly at a cap is not capped.
    expect(earnPoints(settings({ perOrderCap: 100 }), order()).cappedBy).toBeNull();
  });

  it("earns on the margin when the basis says so; a loss earns nothing", () => {
    const margin = settings({ earnBasis: "margin" });
    expect(earnPoints(margin, order({ marginMinor: 2_550 })).points).toBe(25);
    expect(earnPoints(margin, order({ marginMinor: -500 })).points).toBe(0);
    expect(() => earnPoints(margin, order({ marginMinor: 10.5 }))).toThrow(
      expect.objectContaining({ code: "INVALID_MONEY", field: "marginMinor" }),
    );
    expect(() => earnPoints(margin, order())).toThrow(
      expect.objectContaining({ code: "INVALID_MONEY", field: "marginMinor" }),
    );
  });

  it("refuses bad input, saying which", () => {
    expect(() => earnPoints(settings(), order({ amountMinor: -1 }))).toThrow(
      expect.objectContaining({ code: "INVALID_MONEY", field: "amountMinor" }),
    );
    expect(() => earnPoints(settings(), order({ amountMinor: 10.5 }))).toThrow(
      expect.objectContaining({ code: "INVALID_MONEY", field: "amountMinor" }),
    );
    expect(() => earnPoints(settings(), order({ currencyExponent: 9 }))).toThrow(
      expect.objectContaining({ code: "INVALID_MONEY", field: "currencyExponent" }),
    );
    expect(() => earnPoints(settings(), order({ campaignMultipliers: ["2", "x"] }))).toThrow(
      expect.objectContaining({ code: "INVALID_DECIMAL", field: "campaignMultipliers[1]" }),
    );
    expect(() => earnPoints(settings(), order({ earnedInPeriod: -3 }))).toThrow(
      expect.objectContaining({ code: "INVALID_POINTS", field: "earnedInPeriod" }),
    );
  });

  it("never creates a fractional point: random orders match exact integer arithmetic", () => {
    const rng = createRng(7);
    const rates = ["1", "1.5", "0.01", "2.25", "0.333", "7"];
    for (let i = 0; i < 2000; i++) {
      const amount = BigInt(Math.floor(rng.next() * 10_000_000));
      const rate = rates[Math.floor(rng.next() * rates.length)]!;
      const [whole, frac = ""] = rate.split(".");
      const result = earnPoints(settings({ pointsPerUnit: rate }), order({ amountMinor: amount }));
      expect(Number.isSafeInteger(result.points)).toBe(true);
      // floor(amount × rate / 100), in integers.
      const expected = (amount * BigInt(whole! + frac)) / (100n * 10n ** BigInt(frac.length));
      expect(result.points).toBe(Number(expected));
    }
  });

  it("accepts bigint amounts", () => {
    expect(earnPoints(settings(), order({ amountMinor: 12_345_678_901_234n })).points).toBe(
      123_456_789_012,
    );
  });
});

describe("bonusPoints", () => {
  it("gives the points of a named event", () => {
    expect(bonusPoints(defaultLoyaltySettings(), "sign_up")).toBe(100);
    expect(bonusPoints(settings({ bonusEvents: { first_review: 40 } }), "first_review")).toBe(40);
  });

  it("refuses an event the settings do not list, naming the known ones", () => {
    expect(() => bonusPoints(defaultLoyaltySettings(), "toString")).toThrow(
      expect.objectContaining({
        code: "UNKNOWN_BONUS_EVENT",
        message: 'there is no bonus event "toString" (known: sign_up, birthday, review)',
      }),
    );
  });
});
