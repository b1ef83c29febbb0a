import { describe, expect, it } from "vitest";
import { DAY_MS } from "./loyalty-calendar";
import { defaultLoyaltySettings } from "./loyalty-settings";
import { activate, earn, emptyLedger, expire, redeem, type LedgerEntry } from "./points-ledger";
import { pointsExpiringSoon, pointsLiability, programmeRates } from "./programme-economics";

describe("pointsLiability", () => {
  it("multiplies available points by the cost per point exactly", () => {
    expect(pointsLiability(12_345, "0.5")).toBe("6172.5");
    expect(pointsLiability(12_345, "1")).toBe("12345");
    expect(pointsLiability(3, "0.01")).toBe("0.03");
    expect(pointsLiability(10, "0.25")).toBe("2.5");
    expect(pointsLiability(4, "0.25")).toBe("1");
    // Beyond 2^53: still exact.
    expect(pointsLiability(9_007_199_254_740_993n, "0.1")).toBe("900719925474099.3");
  });

  it("counts a negative balance as no liability and refuses bad input", () => {
    expect(pointsLiability(-50, "2")).toBe("0");
    expect(() => pointsLiability(1.5, "1")).toThrow(
      expect.objectContaining({ code: "INVALID_POINTS" }),
    );
    expect(() => pointsLiability(1, "-1")).toThrow(
      expect.objectContaining({ code: "INVALID_DECIMAL", field: "costPerPointMinor" }),
    );
  });
});

describe("programmeRates and pointsExpiringSoon", () => {
  const T0 = Date.UTC(2026, 0, 1);
  const settings = {
    ...defaultLoyaltySettings(),
    pendingDays: 0,
    expiry: { kind: "rolling" as const, days: 40 },
  };
  // Two customers: A earns 300 and redeems 100; B earns 100 that expire in the period.
  function ledgers() {
    let a = earn(emptyLedger(), settings, {
      points: 300,
      at: T0,
      source: "o:1",
      reason: "o",
    }).state;
    a = redeem(a, { points: 100, at: T0 + DAY_MS, source: "r", reason: "r" }).state;
    let b = earn(emptyLedger(), settings, {
      points: 100,
      at: T0,
      source: "o:2",
      reason: "o",
    }).state;
    b = activate(b, T0).state;
    b = expire(b, T0 + 40 * DAY_MS).state;
    return { a, b };
  }

  it("gives breakage and redemption rate over [from, until) as exact fractions and decimals", () => {
    const { a, b } = ledgers();
    const entries: LedgerEntry[] = [...a.entries, ...b.entries];
    expect(programmeRates(entries, T0, T0 + 60 * DAY_MS)).toEqual({
      earned: 400,
      redeemed: 100,
      expired: 100,
      breakage: { numerator: 100, denominator: 400, decimal: "0.2500" },
      redemptionRate: { numerator: 100, denominator: 400, decimal: "0.2500" },
    });
    // The expiry at day 40 falls outside [T0, day 40).
    expect(programmeRates(entries, T0, T0 + 40 * DAY_MS).expired).toBe(0);
    expect(programmeRates(entries, T0 + DAY_MS, T0 + 2 * DAY_MS)).toMatchObject({
      earned: 0,
      redeemed: 100,
      breakage: null,
      redemptionRate: null,
    });
  });

  it("rounds rates half up to 4 places", () => {
    const entry = (type: LedgerEntry["type"], points: number): LedgerEntry => ({
      id: 1,
      type,
      at: T0,
      points,
      availableChange: 0,
      pendingChange: points,
      lots: [],
      reason: "",
      source: "",
    });
    const rates = programmeRates([entry("earn", 3), entry("redeem", -2)], T0, T0 + 1);
    expect(rates.redemptionRate).toEqual({ numerator: 2, denominator: 3, decimal: "0.6667" });
  });

  it("sums open points expiring within 30, 60 and 90 days", () => {
    const { a } = ledgers();
    // A's 200 open points expire at day 40.
    expect(pointsExpiringSoon(a.lots, T0 + 5 * DAY_MS)).toEqual([
      { days: 30, points: 0 },
      { days: 60, points: 200 },
      { days: 90, points: 200 },
    ]);
    expect(pointsExpiringSoon(a.lots, T0 + 10 * DAY_MS, [30])).toEqual([{ days: 30, points: 200 }]);
  });
});
