import { describe, expect, it } from "vitest";
import { moneyCost } from "./campaign-boosts";
import { checkCampaign, slugOf, type CheckedCampaign } from "./campaign-input";

const ok = (input: Parameters<typeof checkCampaign>[0]): CheckedCampaign => {
  const checked = checkCampaign(input, "USD");
  if (Array.isArray(checked)) throw new Error(JSON.stringify(checked));
  return checked;
};

describe("checkCampaign", () => {
  it("reads a campaign for tiers and a query as one audience, with the defaults", () => {
    const c = ok({
      name: " Spring ",
      audience: { tierKeys: ["high", "high", "mid_high"], query: "p_alive < 0.3" },
      offer: { pointsMultiplier: "1.5" },
    });
    expect(c.name).toBe("Spring");
    expect(c.audience.tierKeys).toEqual(["high", "mid_high"]);
    expect(c.parsedAudience.condition).toMatchObject({ type: "and" });
    expect(c.controlShareBp).toBe(1000);
    expect(c.prePeriodDays).toBe(90);
    expect(c.timeZone).toBe("UTC");
    expect(c.budget).toBeNull();
  });

  it("takes no audience as everyone and money budgets in minor units", () => {
    const c = ok({
      name: "All",
      audience: {},
      offer: { bonusPoints: 50, coupon: { code: "SPRING-10", amount: "10.00" } },
      budget: { kind: "money", amount: "1234.56" },
      controlShare: 0.0525,
    });
    expect(c.parsedAudience.condition).toBeNull();
    expect(c.budget).toEqual({ kind: "money", amount: 123456, onExhausted: "stop_offers" });
    expect(c.offer.coupon).toEqual({ code: "SPRING-10", amountMinor: 1000 });
    expect(c.controlShareBp).toBe(525);
  });

  it("names every bad field", () => {
    const problems = checkCampaign(
      {
        name: "",
        audience: { query: "tier = " },
        offer: { pointsMultiplier: "1" },
        startsAt: new Date("2026-02-01T00:00:00Z"),
        endsAt: new Date("2026-01-01T00:00:00Z"),
        timeZone: "Mars/Olympus",
        controlShare: 0.123456,
        budget: { kind: "points", amount: "1.5" },
        prePeriodDays: 3,
      },
      "USD",
    );
    expect(Array.isArray(problems)).toBe(true);
    expect((problems as { field: string; code: string }[]).map((p) => [p.field, p.code])).toEqual([
      ["input.name", "REQUIRED"],
      ["input.audience.query", "INVALID_QUERY"],
      ["input.offer", "EMPTY_OFFER"],
      ["input.endsAt", "INVALID_SCHEDULE"],
      ["input.timeZone", "INVALID_TIME_ZONE"],
      ["input.controlShare", "INVALID_CONTROL_SHARE"],
      ["input.budget.amount", "INVALID_BUDGET"],
      ["input.prePeriodDays", "INVALID_INPUT"],
    ]);
  });

  it("refuses control shares outside 1%–90%", () => {
    for (const share of [0, 0.005, 0.95, Number.NaN]) {
      const r = checkCampaign({ name: "x", offer: { bonusPoints: 1 }, controlShare: share }, "USD");
      expect(Array.isArray(r) && r[0]!.code).toBe("INVALID_CONTROL_SHARE");
    }
  });
});

describe("slugOf", () => {
  it("makes a key from a name", () => {
    expect(slugOf("Double Points — Été 2026!")).toBe("double-points-ete-2026");
    expect(slugOf("***")).toBe("campaign");
    expect(slugOf("x".repeat(100))).toHaveLength(56);
  });
});

describe("moneyCost", () => {
  it("prices points exactly, rounding half up to a minor unit", () => {
    expect(moneyCost(100, "1")).toBe(100);
    expect(moneyCost(101, "0.5")).toBe(51);
    expect(moneyCost(3, "0.1")).toBe(0);
    expect(moneyCost(5, "0.1")).toBe(1);
    // 0.1 × 3 in binary floating point is 0.30000000000000004; exactly it is 0.3.
    expect(moneyCost(30, "0.01")).toBe(0);
    expect(moneyCost(2 ** 40, "0.25")).toBe(2 ** 38);
  });
});
