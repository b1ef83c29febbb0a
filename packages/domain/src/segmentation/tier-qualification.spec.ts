import { describe, expect, it } from "vitest";
import { DEFAULT_TIERS, validateTierPolicy, type TierPolicy } from "./tier-policy";
import { nextTierGap, qualificationWindowStart } from "./tier-qualification";

const points: TierPolicy = {
  kind: "points_threshold",
  thresholds: [
    { tier: "high", minPoints: 5000 },
    { tier: "mid_high", minPoints: 1000 },
  ],
  otherwise: "low",
  windowMonths: 12,
};

const spend: TierPolicy = {
  kind: "spend_threshold",
  thresholds: [
    { tier: "high", minMinor: 100_000 },
    { tier: "mid_high", minMinor: 25_000 },
    { tier: "mid_low", minMinor: 5_000 },
  ],
  otherwise: "low",
};

describe("qualificationWindowStart", () => {
  it("goes back whole calendar months at the same time of day", () => {
    expect(qualificationWindowStart(12, new Date("2026-02-28T10:30:00.250Z"))).toEqual(
      new Date("2025-02-28T10:30:00.250Z"),
    );
    expect(qualificationWindowStart(3, new Date("2026-01-15T00:00:00Z"))).toEqual(
      new Date("2025-10-15T00:00:00Z"),
    );
    expect(qualificationWindowStart(36, new Date("2026-06-01T23:59:59Z"))).toEqual(
      new Date("2023-06-01T23:59:59Z"),
    );
  });

  it("clamps to the last day of a shorter month", () => {
    expect(qualificationWindowStart(1, new Date("2026-03-31T08:00:00Z"))).toEqual(
      new Date("2026-02-28T08:00:00Z"),
    );
    expect(qualificationWindowStart(1, new Date("2024-03-31T08:00:00Z"))).toEqual(
      new Date("2024-02-29T08:00:00Z"),
    );
    expect(qualificationWindowStart(12, new Date("2025-02-28T00:00:00Z"))).toEqual(
      new Date("2024-02-28T00:00:00Z"),
    );
  });

  it("is null for the whole history and refuses windows outside 1..36 months", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    expect(qualificationWindowStart(null, at)).toBeNull();
    expect(qualificationWindowStart(undefined, at)).toBeNull();
    for (const bad of [0, 37, 1.5, -1, Number.NaN]) {
      expect(() => qualificationWindowStart(bad, at)).toThrow(
        expect.objectContaining({ code: "INVALID_PARAMETER", location: { field: "windowMonths" } }),
      );
    }
    expect(() => qualificationWindowStart(12, new Date("nope"))).toThrow(
      expect.objectContaining({ code: "INVALID_DATE" }),
    );
  });
});

describe("validateTierPolicy: qualification windows", () => {
  it("accepts 1 to 36 months or none on spend and points policies", () => {
    for (const windowMonths of [1, 12, 36, null, undefined]) {
      expect(validateTierPolicy(DEFAULT_TIERS, { ...points, windowMonths })).toEqual([]);
      expect(validateTierPolicy(DEFAULT_TIERS, { ...spend, windowMonths })).toEqual([]);
    }
  });

  it("refuses other windows with a coded issue naming windowMonths", () => {
    for (const windowMonths of [0, 37, 2.5, -3]) {
      expect(validateTierPolicy(DEFAULT_TIERS, { ...points, windowMonths })).toEqual([
        expect.objectContaining({ field: "windowMonths", code: "WINDOW_OUT_OF_RANGE" }),
      ]);
      expect(
        validateTierPolicy(DEFAULT_TIERS, { ...spend, windowMonths }).map((i) => i.code),
      ).toEqual(["WINDOW_OUT_OF_RANGE"]);
    }
  });
});

describe("nextTierGap", () => {
  it("gives the nearest better tier and the points still needed", () => {
    expect(nextTierGap(points, DEFAULT_TIERS, { tier: "low", points: 400 })).toEqual({
      tier: "mid_high",
      pointsNeeded: 600,
      spendNeededMinor: null,
    });
    expect(nextTierGap(points, DEFAULT_TIERS, { tier: "mid_high", points: 4999 })).toEqual({
      tier: "high",
      pointsNeeded: 1,
      spendNeededMinor: null,
    });
    // No points yet: the whole threshold.
    expect(nextTierGap(points, DEFAULT_TIERS, { tier: "low" })?.pointsNeeded).toBe(1000);
    // At the top, nothing to reach.
    expect(nextTierGap(points, DEFAULT_TIERS, { tier: "high", points: 7000 })).toBeNull();
  });

  it("counts from the held tier during a downgrade's grace, from the figures when they are better", () => {
    // Holds high (in grace) with 300 points: nothing better than high.
    expect(nextTierGap(points, DEFAULT_TIERS, { tier: "high", points: 300 })).toBeNull();
    // Holds low but already has mid_high's points (the run has not placed them yet): next is high.
    expect(nextTierGap(points, DEFAULT_TIERS, { tier: "low", points: 1200 })).toEqual({
      tier: "high",
      pointsNeeded: 3800,
      spendNeededMinor: null,
    });
    // No tier yet: from the tier the figures give.
    expect(nextTierGap(points, DEFAULT_TIERS, { tier: null, points: 10 })?.tier).toBe("mid_high");
  });

  it("skips tiers the policy places nobody in", () => {
    // mid_low (rank 3) is not in the points policy: from low, the next is mid_high.
    expect(nextTierGap(points, DEFAULT_TIERS, { tier: "mid_low", points: 0 })?.tier).toBe(
      "mid_high",
    );
  });

  it("gives the spend needed in minor units under a spend policy, exactly for bigints", () => {
    expect(nextTierGap(spend, DEFAULT_TIERS, { tier: "mid_low", spentMinor: 24_999 })).toEqual({
      tier: "mid_high",
      pointsNeeded: null,
      spendNeededMinor: 1,
    });
    const big: TierPolicy = {
      kind: "spend_threshold",
      thresholds: [{ tier: "high", minMinor: 2n ** 60n }],
      otherwise: "low",
    };
    expect(nextTierGap(big, DEFAULT_TIERS, { tier: "low", spentMinor: 5n })).toEqual({
      tier: "high",
      pointsNeeded: null,
      spendNeededMinor: 2n ** 60n - 5n,
    });
    expect(
      nextTierGap(big, DEFAULT_TIERS, { tier: "low", spentMinor: 2n ** 60n - 7n })
        ?.spendNeededMinor,
    ).toBe(7);
  });

  it("names the next tier but no number under CLV and cluster policies", () => {
    const clv: TierPolicy = {
      kind: "clv_percentile",
      bands: [
        { tier: "high", percent: 5 },
        { tier: "mid_high", percent: 15 },
      ],
      otherwise: "low",
    };
    expect(nextTierGap(clv, DEFAULT_TIERS, { tier: "low", points: 1 })).toEqual({
      tier: "mid_high",
      pointsNeeded: null,
      spendNeededMinor: null,
    });
    expect(nextTierGap(clv, DEFAULT_TIERS, { tier: "high" })).toBeNull();
    expect(nextTierGap(clv, DEFAULT_TIERS, { tier: null })).toBeNull();
    const clusters: TierPolicy = { kind: "cluster_rank", tiers: ["high"], otherwise: "mid_low" };
    expect(nextTierGap(clusters, DEFAULT_TIERS, { tier: "mid_low" })).toEqual({
      tier: "high",
      pointsNeeded: null,
      spendNeededMinor: null,
    });
    const clvThresholds: TierPolicy = {
      kind: "clv_threshold",
      thresholds: [{ tier: "mid_high", minMinor: 100 }],
      otherwise: "low",
    };
    expect(nextTierGap(clvThresholds, DEFAULT_TIERS, { tier: "low" })?.spendNeededMinor).toBeNull();
  });

  it("refuses an invalid policy and figures that are not whole", () => {
    expect(() =>
      nextTierGap({ ...points, windowMonths: 40 }, DEFAULT_TIERS, { tier: "low" }),
    ).toThrow(
      expect.objectContaining({ code: "INVALID_SETTINGS", location: { field: "windowMonths" } }),
    );
    expect(() => nextTierGap(points, DEFAULT_TIERS, { tier: "low", points: 1.5 })).toThrow(
      expect.objectContaining({ code: "INVALID_NUMBER", location: { field: "points" } }),
    );
    expect(() => nextTierGap(spend, DEFAULT_TIERS, { tier: "low", spentMinor: 0.5 })).toThrow(
      expect.objectContaining({ code: "INVALID_MONEY", location: { field: "spentMinor" } }),
    );
  });
});
