import { describe, expect, it } from "vitest";
import { checkRedemption, type RedeemingCustomer, type RewardTerms } from "./redemption-rules";

const open: RewardTerms = {
  pointsCost: 500,
  eligibleTiers: null,
  stock: null,
  perCustomerLimit: null,
  validFrom: null,
  validUntil: null,
};
const customer: RedeemingCustomer = { availablePoints: 1000, tier: "mid_high", alreadyRedeemed: 0 };
const at = Date.UTC(2026, 5, 1);
const codes = (terms: RewardTerms, who: RedeemingCustomer, when = at, quantity = 1) => {
  const check = checkRedemption(terms, who, when, quantity);
  return check.ok ? [] : check.refusals.map((r) => r.code);
};

describe("checkRedemption", () => {
  it("allows a redemption that meets every term and gives its cost", () => {
    expect(checkRedemption(open, customer, at, 2)).toEqual({ ok: true, pointsCost: 1000 });
  });

  it("needs enough available points, exactly the cost being enough", () => {
    expect(codes(open, { ...customer, availablePoints: 499 })).toEqual(["INSUFFICIENT_POINTS"]);
    expect(codes(open, { ...customer, availablePoints: 500 })).toEqual([]);
    expect(codes(open, customer, at, 3)).toEqual(["INSUFFICIENT_POINTS"]);
    const check = checkRedemption(open, { ...customer, availablePoints: -20 }, at);
    expect(check).toEqual({
      ok: false,
      refusals: [
        { code: "INSUFFICIENT_POINTS", message: "the reward costs 500 points; 0 are available" },
      ],
    });
  });

  it("limits to eligible tiers", () => {
    const gold = { ...open, eligibleTiers: ["high"] };
    expect(codes(gold, customer)).toEqual(["TIER_NOT_ELIGIBLE"]);
    expect(codes(gold, { ...customer, tier: null })).toEqual(["TIER_NOT_ELIGIBLE"]);
    expect(codes(gold, { ...customer, tier: "high" })).toEqual([]);
  });

  it("needs stock and keeps to the per-customer limit", () => {
    expect(codes({ ...open, stock: 0 }, customer)).toEqual(["OUT_OF_STOCK"]);
    expect(codes({ ...open, stock: 1 }, customer, at, 2)).toEqual(["OUT_OF_STOCK"]);
    expect(codes({ ...open, stock: 1 }, customer)).toEqual([]);
    const limited = { ...open, perCustomerLimit: 2 };
    expect(codes(limited, { ...customer, alreadyRedeemed: 1 })).toEqual([]);
    expect(codes(limited, { ...customer, alreadyRedeemed: 2 })).toEqual(["LIMIT_REACHED"]);
  });

  it("is valid from validFrom (inclusive) until validUntil (exclusive)", () => {
    const window = { ...open, validFrom: at, validUntil: at + 1000 };
    expect(codes(window, customer, at - 1)).toEqual(["NOT_YET_VALID"]);
    expect(codes(window, customer, at)).toEqual([]);
    expect(codes(window, customer, at + 999)).toEqual([]);
    expect(codes(window, customer, at + 1000)).toEqual(["EXPIRED"]);
  });

  it("lists every reason at once", () => {
    expect(
      codes(
        { ...open, eligibleTiers: ["high"], stock: 0, perCustomerLimit: 1, validUntil: at },
        { availablePoints: 0, tier: "low", alreadyRedeemed: 1 },
      ),
    ).toEqual([
      "INSUFFICIENT_POINTS",
      "TIER_NOT_ELIGIBLE",
      "OUT_OF_STOCK",
      "LIMIT_REACHED",
      "EXPIRED",
    ]);
  });

  it("refuses a quantity below 1 and a reward without a whole points cost", () => {
    expect(codes(open, customer, at, 0)).toEqual(["INVALID_QUANTITY"]);
    expect(() => checkRedemption({ ...open, pointsCost: 0 }, customer, at)).toThrow(
      expect.objectContaining({ code: "INVALID_POINTS", field: "pointsCost" }),
    );
  });
});
