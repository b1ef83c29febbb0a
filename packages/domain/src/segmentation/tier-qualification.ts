import { SegmentationError } from "./segmentation-error";
import {
  assertValidTierPolicy,
  canonical,
  thresholdMin,
  type MinorUnits,
  type TierDefinition,
  type TierPolicy,
} from "./tier-policy";

/**
 * Qualifying for a tier by points or spend (issue 10, item 4).
 *
 * What qualifies, over the policy's window (or the whole history without one):
 *
 * - **Spend**: the amounts of the customer's completed orders placed in the window, in the store
 *   currency. A refunded order does not count (it is no purchase), wherever its refund falls.
 * - **Points**: the points the customer *earned* in the window: earn entries (orders, bonuses,
 *   campaign bonuses, points credited by a storefront) and positive adjustments made in it (a
 *   redemption given back is not earning and does not count), less what refunds reversed of
 *   the orders whose points were earned in the window (the points the refund asked back, even
 *   the part a `cap_at_zero` programme forgave). Redeeming points and points expiring never
 *   lower them: spending the points is what they are for. Never below 0.
 *
 * The window is the rolling window of `windowMonths` calendar months ending at the evaluation
 * time (a scoring run's time, or now for an earn): from the same day and time that many
 * months before (the last day of that month when it is shorter), to the evaluation time, both
 * included.
 */

/** A spend or points policy: the kinds a customer can qualify for by what they do. */
export type QualifyingPolicy = Extract<
  TierPolicy,
  { kind: "spend_threshold" | "points_threshold" }
>;

/** Whether customers qualify for the policy's tiers by their spend or points. */
export function isQualifyingPolicy(policy: TierPolicy): policy is QualifyingPolicy {
  return policy.kind === "spend_threshold" || policy.kind === "points_threshold";
}

/**
 * The first instant of a policy's qualification window ending at `at`: `windowMonths` calendar
 * months (UTC) before it, on the same day of the month, clamped to the last day of a shorter
 * month (31 March − 1 month = 28 or 29 February), at the same time of day.
 *
 * @param windowMonths months of the window, 1 to 36; null or undefined for the whole history.
 * @param at the evaluation time.
 * @returns the window's start, or null for the whole history.
 * @throws {SegmentationError} `INVALID_PARAMETER` for a window outside 1..36 months,
 *   `INVALID_DATE` for an invalid `at`.
 * @example
 * qualificationWindowStart(12, new Date("2026-02-28T10:00:00Z")); // 2025-02-28T10:00:00.000Z
 * qualificationWindowStart(1, new Date("2026-03-31T00:00:00Z")); // 2026-02-28T00:00:00.000Z
 */
export function qualificationWindowStart(
  windowMonths: number | null | undefined,
  at: Date,
): Date | null {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new SegmentationError("INVALID_DATE", "at is not a valid date", { field: "at" });
  }
  if (windowMonths === null || windowMonths === undefined) return null;
  if (!Number.isSafeInteger(windowMonths) || windowMonths < 1 || windowMonths > 36) {
    throw new SegmentationError(
      "INVALID_PARAMETER",
      `windowMonths must be a whole number of months from 1 to 36 (got ${String(windowMonths)})`,
      { field: "windowMonths" },
    );
  }
  const monthIndex = at.getUTCFullYear() * 12 + at.getUTCMonth() - windowMonths;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const timeOfDay = ms - Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return new Date(Date.UTC(year, month, Math.min(at.getUTCDate(), lastDay)) + timeOfDay);
}

/** What a customer has, for {@link nextTierGap}. */
export interface TierGapInput {
  /** The tier the customer holds now (null before their first tier). */
  tier: string | null;
  /** Qualifying points (points policy); null or absent counts as 0. */
  points?: number | bigint | null;
  /** Qualifying spend in minor units (spend policy); null or absent counts as 0. */
  spentMinor?: MinorUnits | null;
}

/** The next better tier and what it takes to reach it. */
export interface TierGap {
  /** The key of the nearest better tier the policy places customers in. */
  tier: string;
  /** Points still to earn (points policy, ≥ 1); null under any other policy. */
  pointsNeeded: number | bigint | null;
  /** Spend still needed in minor units (spend policy, ≥ 1); null under any other policy. */
  spendNeededMinor: MinorUnits | null;
}

/**
 * The customer's next tier and what it takes to get there.
 *
 * The customer stands at the better of the tier they hold and the tier their figures give now
 * (a customer in a downgrade's grace period still stands at the tier they hold). The next tier
 * is the nearest better one among the tiers the policy places customers in (bands, thresholds,
 * cluster tiers). Under a points or spend policy the gap is that tier's threshold less the
 * qualifying figure (always at least 1: a reached threshold would be the tier itself); under
 * CLV and cluster policies nothing the customer does maps to a number, so both gaps are null
 * (and without a held tier there is no next tier to name).
 *
 * @param policy the tier policy.
 * @param tiers the tier definitions (for ranks).
 * @param input the held tier and the qualifying figures.
 * @returns the next tier and the gap, or null at the top (or without a tier under a CLV or
 *   cluster policy).
 * @throws {SegmentationError} `INVALID_SETTINGS` for an invalid policy; `INVALID_NUMBER` /
 *   `INVALID_MONEY` for a figure that is not whole.
 * @example
 * const policy = { kind: "points_threshold", otherwise: "low",
 *   thresholds: [{ tier: "high", minPoints: 5000 }, { tier: "mid_high", minPoints: 1000 }] };
 * nextTierGap(policy, DEFAULT_TIERS, { tier: "low", points: 400 });
 * // { tier: "mid_high", pointsNeeded: 600, spendNeededMinor: null }
 */
export function nextTierGap(
  policy: TierPolicy,
  tiers: readonly TierDefinition[],
  input: TierGapInput,
): TierGap | null {
  assertValidTierPolicy(tiers, policy);
  const rankOf = new Map(tiers.map((t) => [t.key, t.rank]));
  const held = input.tier === null ? undefined : rankOf.get(input.tier);

  if (!isQualifyingPolicy(policy)) {
    if (held === undefined) return null;
    const placed =
      policy.kind === "clv_percentile"
        ? policy.bands.map((b) => b.tier)
        : policy.kind === "cluster_rank"
          ? policy.tiers
          : policy.thresholds.map((t) => t.tier);
    const next = nearestBetter(placed, rankOf, held);
    return next === null ? null : { tier: next, pointsNeeded: null, spendNeededMinor: null };
  }

  const points = policy.kind === "points_threshold";
  const field = points ? "points" : "spentMinor";
  const raw = (points ? input.points : input.spentMinor) ?? 0;
  if (typeof raw !== "bigint" && !Number.isSafeInteger(raw)) {
    throw new SegmentationError(
      points ? "INVALID_NUMBER" : "INVALID_MONEY",
      `${field} must be a whole number of ${points ? "points" : "minor units"} (got ${String(raw)})`,
      { field },
    );
  }
  const figure = canonical(raw)!;
  // The tier the figures give now: the first threshold reached (thresholds go best first).
  let computed = rankOf.get(policy.otherwise)!;
  for (const t of policy.thresholds) {
    if (figure >= thresholdMin(t)) {
      computed = rankOf.get(t.tier)!;
      break;
    }
  }
  const standing = held === undefined ? computed : Math.min(held, computed);
  const better = policy.thresholds.filter((t) => rankOf.get(t.tier)! < standing);
  const target = better[better.length - 1];
  if (!target) return null;
  const min = thresholdMin(target);
  const gap =
    typeof min === "bigint" || typeof figure === "bigint"
      ? canonical(BigInt(min) - BigInt(figure))!
      : min - figure;
  return {
    tier: target.tier,
    pointsNeeded: points ? gap : null,
    spendNeededMinor: points ? null : gap,
  };
}

/** The nearest tier among `keys` ranked better than `rank`, or null. */
function nearestBetter(
  keys: readonly string[],
  rankOf: ReadonlyMap<string, number>,
  rank: number,
): string | null {
  let best: { key: string; rank: number } | null = null;
  for (const key of keys) {
    const r = rankOf.get(key)!;
    if (r < rank && (best === null || r > best.rank)) best = { key, rank: r };
  }
  return best?.key ?? null;
}
