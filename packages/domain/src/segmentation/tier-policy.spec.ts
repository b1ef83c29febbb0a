import { describe, expect, it } from "vitest";
import { rankClustersByMeanClv } from "./cluster-ranking";
import {
  DEFAULT_TIERS,
  assignTiers,
  validateTierPolicy,
  type TierInput,
  type TierPolicy,
} from "./tier-policy";

const byClv = (values: (number | bigint | null)[]): TierInput[] =>
  values.map((clvMinor) => ({ clvMinor, totalSpentMinor: null, clusterRank: null }));

const count = (tiers: string[]): Record<string, number> =>
  tiers.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t]: (acc[t] ?? 0) + 1 }), {});

describe("assignTiers: CLV percentile bands", () => {
  it("puts the top 5 % high, the next 15 % mid_high, the next 30 % mid_low, the rest low", () => {
    // 1,000 distinct CLVs in shuffled order.
    const values = Array.from({ length: 1000 }, (_, i) => ((i * 389) % 1000) * 100);
    const tiers = assignTiers(byClv(values));
    expect(count(tiers)).toEqual({ high: 50, mid_high: 150, mid_low: 300, low: 500 });
    values.forEach((v, i) => {
      const expected =
        v >= 95_000 ? "high" : v >= 80_000 ? "mid_high" : v >= 50_000 ? "mid_low" : "low";
      expect(tiers[i], `CLV ${v}`).toBe(expected);
    });
  });

  it("keeps equal CLVs in one tier: a tie at the edge of a band joins the higher tier", () => {
    // 20 customers: the top 5 % is one customer, but two share the highest CLV.
    const values = [900, 900, ...Array.from({ length: 18 }, (_, i) => i)];
    const tiers = assignTiers(byClv(values));
    expect(tiers.slice(0, 2)).toEqual(["high", "high"]);
    // 17, the next CLV, has 2 customers (10 %) above it: within the first 20 %, so mid_high.
    expect(tiers[19]).toBe("mid_high");
  });

  it("compares bigint and number amounts exactly, and leaves customers without CLV out", () => {
    const big = 2n ** 60n;
    const tiers = assignTiers(
      byClv([big + 1n, big, null, 5n, 5, ...Array.from({ length: 15 }, () => 1)]),
    );
    expect(tiers[0]).toBe("high");
    expect(tiers[1]).toBe("mid_high");
    expect(tiers[2]).toBe("low");
    // 5n and 5 are one amount, so one tier.
    expect(tiers[3]).toBe(tiers[4]);
  });

  it("ranks bigint amounts as it ranks the same amounts as numbers", () => {
    const values = Array.from({ length: 300 }, (_, i) => (i * 7919) % 97);
    expect(assignTiers(byClv(values.map(BigInt)))).toEqual(assignTiers(byClv(values)));
  });

  it("does not change its input", () => {
    const customers = byClv([3, 1, 2]);
    const copy = customers.map((c) => ({ ...c }));
    assignTiers(customers);
    expect(customers).toEqual(copy);
  });
});

describe("assignTiers: thresholds and clusters", () => {
  it("gives the first CLV threshold reached", () => {
    const policy: TierPolicy = {
      kind: "clv_threshold",
      thresholds: [
        { tier: "high", minMinor: 100_000 },
        { tier: "mid_high", minMinor: 50_000 },
        { tier: "mid_low", minMinor: 10_000 },
      ],
      otherwise: "low",
    };
    expect(assignTiers(byClv([100_000, 99_999, 50_000, 10_000, 9_999, -5, null]), policy)).toEqual([
      "high",
      "mid_high",
      "mid_high",
      "mid_low",
      "low",
      "low",
      "low",
    ]);
  });

  it("tests total spend for a spend policy", () => {
    const policy: TierPolicy = {
      kind: "spend_threshold",
      thresholds: [{ tier: "high", minMinor: 1000n }],
      otherwise: "low",
    };
    const customers: TierInput[] = [
      { clvMinor: 0, totalSpentMinor: 1000, clusterRank: null },
      { clvMinor: 5000, totalSpentMinor: 999, clusterRank: null },
    ];
    expect(assignTiers(customers, policy)).toEqual(["high", "low"]);
  });

  it("tests loyalty points for a points policy", () => {
    const policy: TierPolicy = {
      kind: "points_threshold",
      thresholds: [
        { tier: "high", minPoints: 5000 },
        { tier: "mid_low", minPoints: 500 },
      ],
      otherwise: "low",
    };
    const customers: TierInput[] = [5000, 4999, 500, null, undefined].map((points) => ({
      clvMinor: 10n ** 9n,
      totalSpentMinor: 10n ** 9n,
      clusterRank: null,
      points,
    }));
    expect(assignTiers(customers, policy)).toEqual(["high", "mid_low", "mid_low", "low", "low"]);
    expect(() => assignTiers([{ ...customers[0]!, points: 0.5 }], policy)).toThrow(
      /customer 0: points must be a whole number of points/,
    );
    const ascending: TierPolicy = {
      kind: "points_threshold",
      thresholds: [
        { tier: "high", minPoints: 10 },
        { tier: "mid_low", minPoints: 20 },
      ],
      otherwise: "low",
    };
    expect(validateTierPolicy(DEFAULT_TIERS, ascending).map((i) => i.field)).toEqual([
      "thresholds[1].minPoints",
    ]);
  });

  it("maps cluster ranks to tiers", () => {
    const policy: TierPolicy = {
      kind: "cluster_rank",
      tiers: ["high", "mid_high"],
      otherwise: "low",
    };
    const customers = [1, 2, 3, null].map((clusterRank) => ({
      clvMinor: null,
      totalSpentMinor: null,
      clusterRank,
    }));
    expect(assignTiers(customers, policy)).toEqual(["high", "mid_high", "low", "low"]);
    expect(() =>
      assignTiers([{ clvMinor: null, totalSpentMinor: null, clusterRank: 0 }], policy),
    ).toThrow(/customer 0: clusterRank/);
  });

  it("ranks clusters by exact mean CLV, empty clusters last", () => {
    // Means: cluster 0 = 200, cluster 1 = 400, cluster 2 = 200 (tie with 0 → 0 first), 3 has none.
    const labels = Int32Array.of(0, 0, 1, 2, 2, 3);
    expect(rankClustersByMeanClv(labels, [100, 300, 400, 200n, 200, null], 4)).toEqual([
      2, 1, 3, 4,
    ]);
    // 1/3 against 0.333…: bigint cross-multiplication sees 1 · 3 > 0 · … exactly.
    expect(rankClustersByMeanClv(Int32Array.of(0, 0, 0, 1), [1, 0, 0, 0], 2)).toEqual([1, 2]);
    expect(() => rankClustersByMeanClv(Int32Array.of(0, 5), [1, 2], 2)).toThrow(
      /customer 1: the cluster 5/,
    );
  });
});

describe("validateTierPolicy", () => {
  it("accepts the defaults", () => {
    expect(
      validateTierPolicy(DEFAULT_TIERS, { kind: "clv_percentile", bands: [], otherwise: "low" }),
    ).toEqual([]);
  });

  it("names bad tiers, unknown and misordered tier references, and bad numbers", () => {
    const tiers = [
      ...DEFAULT_TIERS,
      { key: "high", name: "again", rank: 9, benefits: "" },
      { key: "Gold", name: "gold", rank: 1, benefits: "" },
    ];
    const policy: TierPolicy = {
      kind: "clv_percentile",
      bands: [
        { tier: "mid_high", percent: 60 },
        { tier: "high", percent: 50 },
        { tier: "vip", percent: 0 },
      ],
      otherwise: "low",
    };
    expect(validateTierPolicy(tiers, policy).map((i) => [i.field, i.code])).toEqual([
      ["tiers[4].key", "TIER_KEY_DUPLICATE"],
      ["tiers[5].key", "TIER_KEY_INVALID"],
      ["tiers[5].rank", "TIER_RANK_DUPLICATE"],
      ["bands[1].tier", "POLICY_TIER_ORDER"],
      ["bands[2].tier", "POLICY_TIER_UNKNOWN"],
      ["bands[2].percent", "PERCENT_OUT_OF_RANGE"],
      ["bands", "PERCENT_TOTAL_OVER_100"],
    ]);
  });

  it("wants thresholds descending, whole, and refuses them through assignTiers", () => {
    const policy = {
      kind: "clv_threshold",
      thresholds: [
        { tier: "high", minMinor: 100 },
        { tier: "mid_high", minMinor: 100 },
        { tier: "mid_low", minMinor: 1.5 },
      ],
      otherwise: "low",
    } as const;
    expect(validateTierPolicy(DEFAULT_TIERS, policy).map((i) => i.code)).toEqual([
      "THRESHOLDS_NOT_DESCENDING",
      "THRESHOLD_NOT_WHOLE",
    ]);
    expect(() => assignTiers([], policy)).toThrow(
      /invalid tier policy: thresholds\[1\]\.minMinor \(100\)/,
    );
    expect(
      validateTierPolicy(DEFAULT_TIERS, { kind: "points" } as unknown as TierPolicy).map(
        (i) => i.code,
      ),
    ).toEqual(["POLICY_KIND_UNKNOWN"]);
  });

  it("refuses a customer's bad amount, naming the customer", () => {
    expect(() => assignTiers(byClv([1, 2.5]))).toThrow(
      expect.objectContaining({ code: "INVALID_MONEY", location: { index: 1, field: "clvMinor" } }),
    );
  });
});
