import type { TierPolicyInput, TierPolicyKind } from "../../gql/graphql";

/** The policy as the form edits it: every kind's rows kept, so switching kind loses nothing. */
export interface TierPolicyDraft {
  kind: TierPolicyKind;
  bands: { tier: string; percent: number | null }[];
  /** Each row keeps an amount (CLV, spend) and points (points policy): switching kind keeps both. */
  thresholds: { tier: string; minAmount: string; minPoints: number | null }[];
  clusterTiers: string[];
  /** Spend and points policies: months of the qualification window; null = the whole history. */
  windowMonths: number | null;
  otherwise: string;
  graceDays: number | null;
}

export const POLICY_KINDS: readonly TierPolicyKind[] = [
  "CLV_PERCENTILE",
  "CLV_THRESHOLD",
  "SPEND_THRESHOLD",
  "POINTS_THRESHOLD",
  "CLUSTER_RANK",
];

interface PolicyLike {
  kind: TierPolicyKind;
  bands: readonly { tier: string; percent: number }[];
  thresholds: readonly { tier: string; minAmount?: string | null; minPoints?: number | null }[];
  clusterTiers: readonly string[];
  windowMonths?: number | null;
  otherwise: string;
  graceDays: number;
}

/** A saved policy as a draft (copies: the form never edits the query's cached result). */
export function draftOf(policy: PolicyLike): TierPolicyDraft {
  return {
    kind: policy.kind,
    bands: policy.bands.map((b) => ({ tier: b.tier, percent: b.percent })),
    thresholds: policy.thresholds.map((th) => ({
      tier: th.tier,
      minAmount: th.minAmount ?? "",
      minPoints: th.minPoints ?? null,
    })),
    clusterTiers: [...policy.clusterTiers],
    windowMonths: policy.windowMonths ?? null,
    otherwise: policy.otherwise,
    graceDays: policy.graceDays,
  };
}

/**
 * Rows for a kind the draft has none of yet, so that switching to it starts from the tiers
 * instead of an empty list: one row per tier, best first, except the worst, which becomes
 * `otherwise`. Amounts and points are left empty for the admin to fill in; bands get 10 % each.
 * A kind that already has rows is left as it is (switching back and forth loses nothing).
 *
 * @param tiers the defined tiers (any order; sorted by rank here).
 */
export function seedRows(
  draft: TierPolicyDraft,
  tiers: readonly { key: string; rank: number }[],
): void {
  const ordered = [...tiers].sort((a, b) => a.rank - b.rank);
  if (ordered.length === 0) return;
  const upper = ordered.slice(0, -1).map((t) => t.key);
  const kind = draft.kind;
  let seeded = false;
  if (kind === "CLV_PERCENTILE" && draft.bands.length === 0) {
    draft.bands.push(...upper.map((tier) => ({ tier, percent: 10 })));
    seeded = true;
  } else if (
    (kind === "CLV_THRESHOLD" || kind === "SPEND_THRESHOLD" || kind === "POINTS_THRESHOLD") &&
    draft.thresholds.length === 0
  ) {
    draft.thresholds.push(...upper.map((tier) => ({ tier, minAmount: "", minPoints: null })));
    seeded = true;
  } else if (kind === "CLUSTER_RANK" && draft.clusterTiers.length === 0) {
    draft.clusterTiers.push(...upper);
    seeded = true;
  }
  if (seeded) draft.otherwise = ordered.at(-1)!.key;
}

/**
 * What the API takes: only the rows of the chosen kind. Empty numbers go as they are (NaN is
 * never sent): the server answers them with its coded refusals, which the form shows.
 *
 * @example
 * policyInput({ kind: "CLUSTER_RANK", bands: [{ tier: "high", percent: 5 }], thresholds: [], clusterTiers: ["high"], otherwise: "low", graceDays: 30 });
 * // { kind: "CLUSTER_RANK", clusterTiers: ["high"], otherwise: "low", graceDays: 30 }
 */
export function policyInput(draft: TierPolicyDraft): TierPolicyInput {
  const base = { kind: draft.kind, otherwise: draft.otherwise, graceDays: draft.graceDays ?? -1 };
  switch (draft.kind) {
    case "CLV_PERCENTILE":
      return {
        ...base,
        bands: draft.bands.map((b) => ({ tier: b.tier, percent: b.percent ?? 0 })),
      };
    case "CLV_THRESHOLD":
      return {
        ...base,
        thresholds: draft.thresholds.map((th) => ({
          tier: th.tier,
          minAmount: th.minAmount.trim(),
        })),
      };
    case "SPEND_THRESHOLD":
      return {
        ...base,
        thresholds: draft.thresholds.map((th) => ({
          tier: th.tier,
          minAmount: th.minAmount.trim(),
        })),
        windowMonths: draft.windowMonths,
      };
    case "POINTS_THRESHOLD":
      // An empty points cell goes as null: the server refuses it with INVALID_POINTS.
      return {
        ...base,
        thresholds: draft.thresholds.map((th) => ({ tier: th.tier, minPoints: th.minPoints })),
        windowMonths: draft.windowMonths,
      };
    case "CLUSTER_RANK":
      return { ...base, clusterTiers: [...draft.clusterTiers] };
  }
}
