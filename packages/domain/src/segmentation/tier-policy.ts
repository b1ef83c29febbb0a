import { SegmentationError, type SegmentationSettingsIssue } from "./segmentation-error";

/** A value tier, as data: an installation may rename, add or remove tiers. */
export interface TierDefinition {
  /** Stable key stored on customers and used in audiences, e.g. `high`. */
  key: string;
  name: string;
  /** 1 = the best tier; each tier has its own rank. */
  rank: number;
  /** What the tier gives, in plain words for the admin and the storefront. */
  benefits: string;
}

/** DOMAIN.md's four default tiers. */
export const DEFAULT_TIERS: readonly TierDefinition[] = [
  { key: "high", name: "High value", rank: 1, benefits: "" },
  { key: "mid_high", name: "Mid-high value", rank: 2, benefits: "" },
  { key: "mid_low", name: "Mid-low value", rank: 3, benefits: "" },
  { key: "low", name: "Low value", rank: 4, benefits: "" },
];

/** Money in minor units: a safe integer or a bigint (compared exactly either way). */
export type MinorUnits = number | bigint;

/**
 * How customers are placed in tiers. Every policy names tiers by key; a customer who meets no
 * band or threshold (or has no value to test) gets `otherwise`.
 *
 * - `clv_percentile`: bands from the top of the CLV ranking. A customer is in a band when fewer
 *   than `percent` % (cumulated over the bands above) of the ranked customers have a strictly
 *   higher CLV, so customers with equal CLV always share a tier and a band can grow past its
 *   share by a tie. Default: top 5 % high, next 15 % mid_high, next 30 % mid_low, the rest low.
 * - `clv_threshold` / `spend_threshold`: the first threshold (best tier first) whose `minMinor`
 *   the customer's CLV / qualifying spend reaches; `points_threshold` the same with `minPoints`
 *   and the customer's qualifying loyalty points. Spend and points policies may have a
 *   qualification window, `windowMonths` (1 to 36): the figures then count only what happened
 *   in the rolling window of that many calendar months ending at the evaluation time; without
 *   one (null or absent) they count the customer's whole history. What qualifies is stated in
 *   tier-qualification.ts ({@link qualificationWindowStart}): spend is completed orders (refunded
 *   ones do not count); points are points *earned* (earn entries and positive adjustments, less
 *   what refunds reversed of those), so redeeming or expiring points never lowers them.
 * - `cluster_rank`: the tier of the customer's K-Means cluster rank (1 = highest mean CLV,
 *   {@link rankClustersByMeanClv}); `tiers[0]` for rank 1, and so on; ranks past the list get
 *   `otherwise`.
 */
export type TierPolicy =
  | {
      kind: "clv_percentile";
      bands: readonly { tier: string; percent: number }[];
      otherwise: string;
    }
  | {
      kind: "clv_threshold";
      thresholds: readonly { tier: string; minMinor: MinorUnits }[];
      otherwise: string;
    }
  | {
      kind: "spend_threshold";
      thresholds: readonly { tier: string; minMinor: MinorUnits }[];
      otherwise: string;
      /** Months of the rolling qualification window (1 to 36); null or absent: lifetime. */
      windowMonths?: number | null;
    }
  | {
      kind: "points_threshold";
      thresholds: readonly { tier: string; minPoints: number | bigint }[];
      otherwise: string;
      /** Months of the rolling qualification window (1 to 36); null or absent: lifetime. */
      windowMonths?: number | null;
    }
  | { kind: "cluster_rank"; tiers: readonly string[]; otherwise: string };

export const TIER_POLICY_KINDS = [
  "clv_percentile",
  "clv_threshold",
  "spend_threshold",
  "points_threshold",
  "cluster_rank",
] as const;

/** The default policy of DOMAIN.md: CLV percentile bands 5 / 15 / 30 / rest. */
export const DEFAULT_TIER_POLICY: TierPolicy = {
  kind: "clv_percentile",
  bands: [
    { tier: "high", percent: 5 },
    { tier: "mid_high", percent: 15 },
    { tier: "mid_low", percent: 30 },
  ],
  otherwise: "low",
};

/** What a policy looks at; fields a policy does not use may be left null. */
export interface TierInput {
  clvMinor: MinorUnits | null;
  /** Qualifying spend in minor units (in the policy's window, when it has one). */
  totalSpentMinor: MinorUnits | null;
  /** Qualifying loyalty points (earned, in the policy's window), for a points policy. */
  points?: number | bigint | null;
  /** The rank of the customer's cluster, 1 = highest mean CLV. */
  clusterRank: number | null;
}

export type TierIssueCode =
  | "TIERS_EMPTY"
  | "TIER_KEY_INVALID"
  | "TIER_KEY_DUPLICATE"
  | "TIER_RANK_INVALID"
  | "TIER_RANK_DUPLICATE"
  | "POLICY_KIND_UNKNOWN"
  | "POLICY_TIER_UNKNOWN"
  | "POLICY_TIER_ORDER"
  | "PERCENT_OUT_OF_RANGE"
  | "PERCENT_TOTAL_OVER_100"
  | "THRESHOLD_NOT_WHOLE"
  | "THRESHOLDS_NOT_DESCENDING"
  | "WINDOW_OUT_OF_RANGE";

/** The longest qualification window of a spend or points policy, in months. */
export const MAX_WINDOW_MONTHS = 36;

function isMinorUnits(x: unknown): x is MinorUnits {
  return typeof x === "bigint" || Number.isSafeInteger(x);
}

/**
 * Checks tiers and a policy together: tier keys (lowercase letters, digits, `_`) and ranks
 * unique, every tier the policy names defined, bands and thresholds going from better tiers to
 * worse (a higher tier needs a higher value), percents above 0 and at most 100 in total,
 * thresholds whole minor units (points for a points policy), and a spend or points policy's
 * `windowMonths` null, absent or a whole number from 1 to {@link MAX_WINDOW_MONTHS}.
 *
 * @param tiers the tier definitions.
 * @param policy the policy.
 * @returns every problem, empty when both are valid; `field` is a path such as `bands[1].percent`.
 * @example
 * validateTierPolicy(DEFAULT_TIERS, { ...DEFAULT_TIER_POLICY, otherwise: "gold" })[0].code;
 * // "POLICY_TIER_UNKNOWN"
 */
export function validateTierPolicy(
  tiers: readonly TierDefinition[],
  policy: TierPolicy,
): SegmentationSettingsIssue<TierIssueCode>[] {
  const issues: SegmentationSettingsIssue<TierIssueCode>[] = [];
  const add = (field: string, code: TierIssueCode, message: string): void => {
    issues.push({ field, code, message });
  };
  if (tiers.length === 0) add("tiers", "TIERS_EMPTY", "at least one tier is needed");
  const ranks = new Map<string, number>();
  const seenRanks = new Set<number>();
  tiers.forEach((tier, i) => {
    if (typeof tier.key !== "string" || !/^[a-z][a-z0-9_]{0,39}$/.test(tier.key)) {
      add(
        `tiers[${i}].key`,
        "TIER_KEY_INVALID",
        `tiers[${i}]: the key must be 1 to 40 lowercase letters, digits or _ starting with a letter (got ${JSON.stringify(tier.key)})`,
      );
    } else if (ranks.has(tier.key)) {
      add(
        `tiers[${i}].key`,
        "TIER_KEY_DUPLICATE",
        `tiers[${i}]: the key ${tier.key} is used twice`,
      );
    }
    if (!Number.isSafeInteger(tier.rank) || tier.rank < 1) {
      add(
        `tiers[${i}].rank`,
        "TIER_RANK_INVALID",
        `tiers[${i}]: the rank must be a whole number of at least 1 (got ${tier.rank})`,
      );
    } else if (seenRanks.has(tier.rank)) {
      add(
        `tiers[${i}].rank`,
        "TIER_RANK_DUPLICATE",
        `tiers[${i}]: the rank ${tier.rank} is used twice`,
      );
    }
    seenRanks.add(tier.rank);
    if (!ranks.has(tier.key)) ranks.set(tier.key, tier.rank);
  });

  const named = (field: string, key: string): number | null => {
    const rank = ranks.get(key);
    if (rank === undefined) {
      add(field, "POLICY_TIER_UNKNOWN", `${field}: there is no tier ${JSON.stringify(key)}`);
      return null;
    }
    return rank;
  };
  // Tiers named in order must get worse (higher rank) at each step, ending with `otherwise`.
  const checkOrder = (fields: string[], keys: string[]): void => {
    let previous: number | null = null;
    keys.forEach((key, i) => {
      const rank = named(fields[i]!, key);
      if (rank !== null && previous !== null && rank <= previous) {
        add(
          fields[i]!,
          "POLICY_TIER_ORDER",
          `${fields[i]}: ${key} must be a lower tier (higher rank) than the one before it`,
        );
      }
      if (rank !== null) previous = rank;
    });
  };

  switch (policy.kind) {
    case "clv_percentile": {
      checkOrder(
        [...policy.bands.map((_, i) => `bands[${i}].tier`), "otherwise"],
        [...policy.bands.map((b) => b.tier), policy.otherwise],
      );
      let total = 0;
      policy.bands.forEach((band, i) => {
        if (!Number.isFinite(band.percent) || band.percent <= 0 || band.percent > 100) {
          add(
            `bands[${i}].percent`,
            "PERCENT_OUT_OF_RANGE",
            `bands[${i}].percent must be above 0 and at most 100 (got ${band.percent})`,
          );
        } else {
          total += band.percent;
        }
      });
      if (total > 100) {
        add("bands", "PERCENT_TOTAL_OVER_100", `the bands add up to ${total} %, more than 100 %`);
      }
      break;
    }
    case "clv_threshold":
    case "spend_threshold":
    case "points_threshold": {
      const points = policy.kind === "points_threshold";
      const unit = points ? "points" : "minor units";
      const name = points ? "minPoints" : "minMinor";
      const mins = policy.thresholds.map((t) => thresholdMin(t));
      checkOrder(
        [...policy.thresholds.map((_, i) => `thresholds[${i}].tier`), "otherwise"],
        [...policy.thresholds.map((t) => t.tier), policy.otherwise],
      );
      if (policy.kind !== "clv_threshold") {
        const window = policy.windowMonths;
        if (
          window !== undefined &&
          window !== null &&
          (!Number.isSafeInteger(window) || window < 1 || window > MAX_WINDOW_MONTHS)
        ) {
          add(
            "windowMonths",
            "WINDOW_OUT_OF_RANGE",
            `windowMonths must be a whole number of months from 1 to ${MAX_WINDOW_MONTHS}, or null for the whole history (got ${String(window)})`,
          );
        }
      }
      policy.thresholds.forEach((t, i) => {
        const min = mins[i];
        if (!isMinorUnits(min)) {
          add(
            `thresholds[${i}].${name}`,
            "THRESHOLD_NOT_WHOLE",
            `thresholds[${i}].${name} must be a whole number of ${unit} (got ${String(min)})`,
          );
        } else if (i > 0) {
          const before = mins[i - 1];
          if (isMinorUnits(before) && min >= before) {
            add(
              `thresholds[${i}].${name}`,
              "THRESHOLDS_NOT_DESCENDING",
              `thresholds[${i}].${name} (${min}) must be below the threshold of the tier above (${before})`,
            );
          }
        }
      });
      break;
    }
    case "cluster_rank":
      checkOrder(
        [...policy.tiers.map((_, i) => `tiers[${i}]`), "otherwise"],
        [...policy.tiers, policy.otherwise],
      );
      break;
    default:
      add(
        "kind",
        "POLICY_KIND_UNKNOWN",
        `the policy kind must be one of ${TIER_POLICY_KINDS.join(", ")} (got ${String((policy as { kind: unknown }).kind)})`,
      );
  }
  return issues;
}

/** A threshold's amount: minor units or points, by policy. */
export function thresholdMin(
  t: { minMinor: MinorUnits } | { minPoints: number | bigint },
): MinorUnits {
  return "minMinor" in t ? t.minMinor : t.minPoints;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** One spelling per amount (5n and 5 are one key): a number when it is safe, else a bigint. */
export function canonical(value: MinorUnits | null): MinorUnits | null {
  return typeof value === "bigint" && value <= SAFE && value >= -SAFE ? Number(value) : value;
}

const compareDescending = (a: MinorUnits, b: MinorUnits): number => (a > b ? -1 : a < b ? 1 : 0);

/**
 * Throws a SegmentationError INVALID_SETTINGS naming every problem of {@link validateTierPolicy}
 * (its field the first problem's).
 */
export function assertValidTierPolicy(tiers: readonly TierDefinition[], policy: TierPolicy): void {
  const issues = validateTierPolicy(tiers, policy);
  if (issues.length > 0) {
    throw new SegmentationError(
      "INVALID_SETTINGS",
      `invalid tier policy: ${issues.map((i) => i.message).join("; ")}`,
      { field: issues[0]!.field },
    );
  }
}

/**
 * Places each customer in a tier by the policy ({@link TierPolicy} says exactly how).
 * Percentile bands rank the customers that have a CLV; customers without one get `otherwise`
 * and do not count in the percentages.
 *
 * @param customers what each customer has to test (not changed).
 * @param policy the policy; the default CLV percentile bands when left out.
 * @param tiers the tier definitions the policy refers to; the defaults when left out.
 * @returns each customer's tier key, in input order.
 * @throws {SegmentationError} `INVALID_SETTINGS` listing the problems of tiers and policy;
 *   `INVALID_MONEY` / `INVALID_NUMBER` naming the customer and field of a bad value.
 * @example
 * assignTiers(
 *   Array.from({ length: 20 }, (_, i) => ({ clvMinor: i * 100, totalSpentMinor: null, clusterRank: null })),
 * )[19]; // "high" (the top 5 % of 20 customers is one customer)
 */
export function assignTiers(
  customers: readonly TierInput[],
  policy: TierPolicy = DEFAULT_TIER_POLICY,
  tiers: readonly TierDefinition[] = DEFAULT_TIERS,
): string[] {
  assertValidTierPolicy(tiers, policy);
  const money = (
    i: number,
    field: "clvMinor" | "totalSpentMinor" | "points",
  ): MinorUnits | null => {
    const value = customers[i]![field] ?? null;
    if (value === null || isMinorUnits(value)) return canonical(value);
    throw new SegmentationError(
      field === "points" ? "INVALID_NUMBER" : "INVALID_MONEY",
      `customer ${i}: ${field} must be a whole number of ${field === "points" ? "points" : "minor units"} or null (got ${String(value)})`,
      { index: i, field },
    );
  };

  switch (policy.kind) {
    case "clv_percentile": {
      const values: MinorUnits[] = [];
      for (let i = 0; i < customers.length; i++) {
        const v = money(i, "clvMinor");
        if (v !== null) values.push(v);
      }
      // Amounts that are all numbers sort as a Float64Array (exact: they are safe integers),
      // several times faster than a comparator over a million values.
      let sorted: ArrayLike<MinorUnits>;
      if (values.every((v) => typeof v === "number")) {
        sorted = Float64Array.from(values as number[])
          .sort()
          .reverse();
      } else {
        sorted = values.sort(compareDescending);
      }
      const n = sorted.length;
      // Cumulated band limits: "fewer than limit % have a higher CLV", as counts * 100 < limit * n.
      const limits: { tier: string; limit: number }[] = [];
      let cumulated = 0;
      for (const band of policy.bands) {
        cumulated += band.percent;
        limits.push({ tier: band.tier, limit: cumulated });
      }
      // The lowest CLV in each band, walking down the ranking: a value's first position is the
      // number of customers above it. Bands are contiguous runs of the ranking, so a customer
      // belongs to the first band whose lowest CLV they reach.
      const lowest: (MinorUnits | null)[] = limits.map(() => null);
      let band = 0;
      for (let i = 0; i < n && band < limits.length; i++) {
        if (i > 0 && sorted[i] === sorted[i - 1]) continue;
        while (band < limits.length && i * 100 >= limits[band]!.limit * n) band++;
        if (band < limits.length) lowest[band] = sorted[i]!;
      }
      return customers.map((_, i) => {
        const v = money(i, "clvMinor");
        if (v === null) return policy.otherwise;
        for (let b = 0; b < limits.length; b++) {
          const min = lowest[b];
          if (min !== null && min !== undefined && v >= min) return limits[b]!.tier;
        }
        return policy.otherwise;
      });
    }
    case "clv_threshold":
    case "spend_threshold":
    case "points_threshold": {
      const field =
        policy.kind === "clv_threshold"
          ? "clvMinor"
          : policy.kind === "spend_threshold"
            ? "totalSpentMinor"
            : "points";
      return customers.map((_, i) => {
        const v = money(i, field);
        if (v === null) return policy.otherwise;
        for (const t of policy.thresholds) if (v >= thresholdMin(t)) return t.tier;
        return policy.otherwise;
      });
    }
    case "cluster_rank":
      return customers.map((c, i) => {
        const rank = c.clusterRank;
        if (rank === null) return policy.otherwise;
        if (!Number.isSafeInteger(rank) || rank < 1) {
          throw new SegmentationError(
            "INVALID_NUMBER",
            `customer ${i}: clusterRank must be a whole number of at least 1 or null (got ${rank})`,
            { index: i, field: "clusterRank" },
          );
        }
        return policy.tiers[rank - 1] ?? policy.otherwise;
      });
  }
}
