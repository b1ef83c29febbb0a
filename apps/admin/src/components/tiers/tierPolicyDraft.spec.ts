import { describe, expect, it } from "vitest";
import { draftOf, policyInput, seedRows, type TierPolicyDraft } from "./tierPolicyDraft";

const SAVED = {
  kind: "CLV_PERCENTILE" as const,
  bands: [
    { tier: "high", percent: 5 },
    { tier: "mid_high", percent: 15 },
  ],
  thresholds: [],
  clusterTiers: [],
  otherwise: "low",
  graceDays: 30,
};

describe("tier policy draft", () => {
  it("sends only the rows of the chosen kind", () => {
    const draft = draftOf(SAVED);
    expect(policyInput(draft)).toEqual({
      kind: "CLV_PERCENTILE",
      bands: [
        { tier: "high", percent: 5 },
        { tier: "mid_high", percent: 15 },
      ],
      otherwise: "low",
      graceDays: 30,
    });
    draft.kind = "CLV_THRESHOLD";
    draft.thresholds = [{ tier: "high", minAmount: " 500.00 ", minPoints: null }];
    expect(policyInput(draft)).toEqual({
      kind: "CLV_THRESHOLD",
      thresholds: [{ tier: "high", minAmount: "500.00" }],
      otherwise: "low",
      graceDays: 30,
    });
    draft.kind = "SPEND_THRESHOLD";
    draft.windowMonths = 12;
    expect(policyInput(draft)).toEqual({
      kind: "SPEND_THRESHOLD",
      thresholds: [{ tier: "high", minAmount: "500.00" }],
      windowMonths: 12,
      otherwise: "low",
      graceDays: 30,
    });
    draft.kind = "POINTS_THRESHOLD";
    draft.thresholds = [
      { tier: "high", minAmount: "", minPoints: 5000 },
      { tier: "mid_high", minAmount: "", minPoints: null },
    ];
    draft.windowMonths = null;
    expect(policyInput(draft)).toEqual({
      kind: "POINTS_THRESHOLD",
      thresholds: [
        { tier: "high", minPoints: 5000 },
        { tier: "mid_high", minPoints: null },
      ],
      windowMonths: null,
      otherwise: "low",
      graceDays: 30,
    });
    draft.kind = "CLUSTER_RANK";
    draft.clusterTiers = ["high", "low"];
    expect(policyInput(draft)).toEqual({
      kind: "CLUSTER_RANK",
      clusterTiers: ["high", "low"],
      otherwise: "low",
      graceDays: 30,
    });
  });

  it("reads a saved points policy's rows and window", () => {
    const draft = draftOf({
      ...SAVED,
      kind: "POINTS_THRESHOLD",
      bands: [],
      thresholds: [{ tier: "high", minAmount: null, minPoints: 1000 }],
      windowMonths: 12,
    });
    expect(draft.thresholds).toEqual([{ tier: "high", minAmount: "", minPoints: 1000 }]);
    expect(draft.windowMonths).toBe(12);
    expect(draftOf(SAVED).windowMonths).toBeNull();
  });

  it("copies the saved policy instead of editing it, and sends an emptied grace for refusal", () => {
    const draft = draftOf(SAVED);
    draft.bands[0]!.percent = 50;
    expect(SAVED.bands[0]!.percent).toBe(5);
    draft.graceDays = null;
    expect(policyInput(draft).graceDays).toBe(-1);
  });
});

describe("seedRows", () => {
  const tiers = [
    { key: "low", rank: 4 },
    { key: "high", rank: 1 },
    { key: "mid_low", rank: 3 },
    { key: "mid_high", rank: 2 },
  ];
  const empty = (kind: TierPolicyDraft["kind"]): TierPolicyDraft => ({
    kind,
    bands: [],
    thresholds: [],
    clusterTiers: [],
    windowMonths: null,
    otherwise: "high",
    graceDays: 30,
  });

  it("gives a threshold kind one row per tier, best first, the worst as otherwise", () => {
    const draft = empty("POINTS_THRESHOLD");
    seedRows(draft, tiers);
    expect(draft.thresholds.map((t) => t.tier)).toEqual(["high", "mid_high", "mid_low"]);
    expect(draft.thresholds.every((t) => t.minAmount === "" && t.minPoints === null)).toBe(true);
    expect(draft.otherwise).toBe("low");
  });

  it("seeds bands and cluster tiers the same way", () => {
    const bands = empty("CLV_PERCENTILE");
    seedRows(bands, tiers);
    expect(bands.bands).toEqual([
      { tier: "high", percent: 10 },
      { tier: "mid_high", percent: 10 },
      { tier: "mid_low", percent: 10 },
    ]);
    const clusters = empty("CLUSTER_RANK");
    seedRows(clusters, tiers);
    expect(clusters.clusterTiers).toEqual(["high", "mid_high", "mid_low"]);
  });

  it("leaves a kind that has rows, and its otherwise, as they are", () => {
    const draft = empty("SPEND_THRESHOLD");
    draft.thresholds.push({ tier: "mid_high", minAmount: "500.00", minPoints: null });
    seedRows(draft, tiers);
    expect(draft.thresholds).toEqual([{ tier: "mid_high", minAmount: "500.00", minPoints: null }]);
    expect(draft.otherwise).toBe("high");
  });
});
