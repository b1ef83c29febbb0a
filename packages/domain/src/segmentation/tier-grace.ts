import { SegmentationError } from "./segmentation-error";
import type { TierDefinition } from "./tier-policy";

/** A customer's tier as kept between scoring runs. */
export interface TierState {
  /** The tier the customer holds. */
  tier: string;
  /** When the customer entered it. */
  since: Date;
  /**
   * Since when every run has computed a lower tier than `tier` without a break, or null when
   * the latest run computed `tier` or better. The grace period counts from here.
   */
  belowSince: Date | null;
  /** The lower tier the latest run computed while the grace period runs, else null. */
  pendingTier: string | null;
}

const DAY_MS = 86_400_000;

function checkDate(value: Date, field: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new SegmentationError("INVALID_DATE", `${field} is not a valid date`, { field });
  }
  return ms;
}

/**
 * Applies a newly computed tier to the tier a customer holds, with a grace period on the way
 * down (DOMAIN.md "Value tiers"):
 *
 * - no tier held yet, or a tier that no longer exists: the computed tier, at once;
 * - an upgrade (a better rank) applies at once and ends any grace period;
 * - the same tier keeps the customer where they are and ends any grace period;
 * - a downgrade starts the grace period (or continues it: `belowSince` stays at the first run
 *   that computed a lower tier). The customer keeps the higher tier until a run at or after
 *   `belowSince` + `graceDays` × 24 h still computes a lower tier; then they move to the tier
 *   that run computed (not the lowest one seen meanwhile). A run in between that computes the
 *   held tier or better ends the grace period, and the count starts again at the next
 *   downgrade. With `graceDays` 0 a downgrade applies at once.
 *
 * Time is passed in (`now`), never read from a clock, so tests and replays control it.
 *
 * @param previous the state from the last run, or null for a customer not tiered yet.
 * @param computed the tier the policy gives now.
 * @param now the time of this run.
 * @param options `graceDays` (whole days ≥ 0) and the tier definitions (for ranks).
 * @returns the new state (a new object; `previous` is not changed).
 * @throws {SegmentationError} `UNKNOWN_TIER` for a computed tier not in `tiers`,
 *   `INVALID_PARAMETER` for bad graceDays, `INVALID_DATE`, and `CLOCK_WENT_BACK` when `now`
 *   is before the state's own dates.
 * @example
 * const held = { tier: "high", since: new Date("2026-01-01"), belowSince: null, pendingTier: null };
 * applyTierChange(held, "mid_high", new Date("2026-02-01"), { graceDays: 30, tiers: DEFAULT_TIERS });
 * // { tier: "high", …, belowSince: 2026-02-01, pendingTier: "mid_high" }: 30 days of grace
 */
export function applyTierChange(
  previous: TierState | null,
  computed: string,
  now: Date,
  options: { graceDays: number; tiers: readonly TierDefinition[] },
): TierState {
  const { graceDays, tiers } = options;
  if (!Number.isSafeInteger(graceDays) || graceDays < 0) {
    throw new SegmentationError(
      "INVALID_PARAMETER",
      `graceDays must be a whole number of days of at least 0 (got ${graceDays})`,
      { field: "graceDays" },
    );
  }
  const nowMs = checkDate(now, "now");
  const rankOf = new Map(tiers.map((t) => [t.key, t.rank]));
  const newRank = rankOf.get(computed);
  if (newRank === undefined) {
    throw new SegmentationError(
      "UNKNOWN_TIER",
      `the computed tier ${JSON.stringify(computed)} is not one of ${tiers.map((t) => t.key).join(", ")}`,
      { field: "computed" },
    );
  }
  const fresh: TierState = { tier: computed, since: now, belowSince: null, pendingTier: null };
  if (previous === null) return fresh;
  const sinceMs = checkDate(previous.since, "previous.since");
  const belowMs =
    previous.belowSince === null ? null : checkDate(previous.belowSince, "previous.belowSince");
  if (nowMs < sinceMs || (belowMs !== null && nowMs < belowMs)) {
    throw new SegmentationError(
      "CLOCK_WENT_BACK",
      `now (${now.toISOString()}) is before the customer's tier dates (since ${previous.since.toISOString()}${
        previous.belowSince ? `, below since ${previous.belowSince.toISOString()}` : ""
      })`,
      { field: "now" },
    );
  }
  const heldRank = rankOf.get(previous.tier);
  if (heldRank === undefined || newRank < heldRank) return fresh;
  if (newRank === heldRank) {
    return { tier: previous.tier, since: previous.since, belowSince: null, pendingTier: null };
  }
  const belowSince = previous.belowSince ?? now;
  if (nowMs - belowSince.getTime() >= graceDays * DAY_MS) return fresh;
  return { tier: previous.tier, since: previous.since, belowSince, pendingTier: computed };
}

/**
 * When a pending downgrade takes effect if every run until then still computes a lower tier:
 * `belowSince` + `graceDays` × 24 h, or null when no downgrade is pending.
 *
 * @param state the customer's tier state.
 * @param graceDays the grace period in whole days.
 * @returns the earliest time of the downgrade, or null.
 * @example
 * tierDowngradeDue({ tier: "high", since, belowSince: new Date("2026-02-01"), pendingTier: "low" }, 30);
 * // 2026-03-03T00:00:00.000Z
 */
export function tierDowngradeDue(state: TierState, graceDays: number): Date | null {
  if (state.belowSince === null) return null;
  return new Date(state.belowSince.getTime() + graceDays * DAY_MS);
}
