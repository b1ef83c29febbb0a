import {
  applyTierChange,
  applyStandardization,
  assignTiers,
  churnRisk,
  computeRfmScores,
  fitStandardizer,
  kMeans,
  lifecycleStage,
  rankClustersByMeanClv,
  rfmGroup,
  rfmGrid,
  isQualifyingPolicy,
  type LifecycleInput,
  type MinorUnits,
  type LifecycleSettings,
  type RfmGrid,
  type RfmScores,
  type TierDefinition,
  type TierPolicy,
  type TierState,
} from "@valuetier/domain";
import type { DataSource } from "typeorm";
import { sqlDialect } from "../../db/sql-dialect";
import { fromSqlDateTime, toSqlDateTime } from "../../db/sql-values";
import { readQualifyingFigures } from "../tiers/tier-qualification";
import { TierService } from "../tiers/tier.service";
import type { CustomerColumns } from "./customer-columns";
import { ValueQueryService } from "./value-query.service";

const DAY_MS = 86_400_000;
/** Average days in a month, for the expected time to the next purchase. */
const DAYS_PER_MONTH = 30.4375;

/** What a scoring run segments by: read once when the run starts. */
export interface SegmentationSnapshot {
  tiers: readonly TierDefinition[];
  policy: TierPolicy;
  graceDays: number;
  /** K-Means clusters over log R, F, M of the customers with orders. */
  clusters: number;
  /** The R × FM grid of groups (from the saved rules). */
  rfmGrid: RfmGrid;
  lifecycle: LifecycleSettings;
  /** Seed of the clustering, so that the same data give the same clusters. */
  seed: number;
  /**
   * Under a points policy, or a spend policy with a window: each customer's qualifying points
   * or spend at the run's time, by id (customers with none left out: 0). Null otherwise (a
   * lifetime spend policy uses the run's own totals of completed orders).
   */
  qualifying: ReadonlyMap<number, MinorUnits> | null;
}

/** Per customer (the columns' order): everything the snapshot row stores beside the value. */
export interface CustomerSegments {
  tier: string[];
  tierSince: Date[];
  tierBelowSince: (Date | null)[];
  tierPending: (string | null)[];
  rfm: (RfmScores | null)[];
  rfmGroup: string[];
  lifecycleStage: string[];
  churnRisk: (string | null)[];
  /** 0 = the cluster with the highest mean CLV; null without orders. */
  cluster: (number | null)[];
}

/** The scores of each customer the segmentation reads. */
export interface ScoredCustomer {
  clvMinor: number | null;
  pAlive: number | null;
  expectedPurchases: number | null;
}

/**
 * RFM scores and groups, K-Means clusters ranked by mean CLV, value tiers (policy, then the
 * grace on the way down against the tier each customer held after the previous run) and the
 * lifecycle stage and churn risk of every customer of a run.
 *
 * Recency and the lifecycle are taken at the observation end (the day of the latest order in
 * the data), the moment P(alive) refers to; the grace period counts real time between runs
 * (`runAt`).
 *
 * @param columns the run's customers.
 * @param scores their scores, in the same order.
 * @param endDay the observation end, in days since 1970-01-01.
 * @param horizonMonths the settings' horizon (expected purchases are over it).
 * @param snapshot tiers, policy, grace and clustering settings.
 * @param previous each customer's tier state after the previous successful run, by id.
 * @param runAt when this run happens.
 */
export function segmentCustomers(
  columns: CustomerColumns,
  scores: readonly ScoredCustomer[],
  endDay: number,
  horizonMonths: number,
  snapshot: SegmentationSnapshot,
  previous: ReadonlyMap<number, TierState>,
  runAt: Date,
): CustomerSegments {
  const n = columns.length;
  const buyers: number[] = [];
  for (let i = 0; i < n; i++) if (columns.orders[i]! > 0) buyers.push(i);

  // RFM over the customers with a completed order; the others are PROSPECTS.
  const { scores: rfmScores } = computeRfmScores(
    buyers.map((i) => ({
      recencyDays: endDay - columns.lastDay[i]!,
      frequency: columns.orders[i]!,
      monetaryMinor: columns.amount[i]!,
    })),
  );
  const rfm: CustomerSegments["rfm"] = new Array(n).fill(null);
  buyers.forEach((i, k) => (rfm[i] = rfmScores[k]!));

  // K-Means on standardised log recency, frequency and spend; ranked by mean CLV.
  const cluster: (number | null)[] = new Array(n).fill(null);
  const k = Math.min(snapshot.clusters, buyers.length);
  let clusterRank: (number | null)[] = new Array(n).fill(null);
  if (k >= 1) {
    const points = new Float64Array(buyers.length * 3);
    buyers.forEach((i, b) => {
      points[b * 3] = Math.max(0, endDay - columns.lastDay[i]!);
      points[b * 3 + 1] = columns.orders[i]!;
      points[b * 3 + 2] = Math.max(0, columns.amount[i]!);
    });
    const standardized = applyStandardization(fitStandardizer(points, 3, true), points);
    const result = kMeans(standardized, 3, { k, seed: snapshot.seed });
    const ranks = rankClustersByMeanClv(
      result.labels,
      buyers.map((i) => scores[i]!.clvMinor),
      k,
    );
    clusterRank = new Array(n).fill(null);
    buyers.forEach((i, b) => {
      const rank = ranks[result.labels[b]!]!;
      cluster[i] = rank - 1;
      clusterRank[i] = rank;
    });
  }

  // Tiers: the policy's tier now, then the grace against the tier held before.
  const qualifying = snapshot.qualifying;
  const byPoints = snapshot.policy.kind === "points_threshold";
  const computed = assignTiers(
    Array.from({ length: n }, (_, i) => {
      const figure = qualifying ? (qualifying.get(columns.id[i]!) ?? 0) : null;
      return {
        clvMinor: scores[i]!.clvMinor,
        totalSpentMinor: figure !== null && !byPoints ? figure : columns.amount[i]!,
        points: byPoints ? figure : null,
        clusterRank: clusterRank[i]!,
      };
    }),
    snapshot.policy,
    snapshot.tiers,
  );
  const tier: string[] = [];
  const tierSince: Date[] = [];
  const tierBelowSince: (Date | null)[] = [];
  const tierPending: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const state = applyTierChange(previous.get(columns.id[i]!) ?? null, computed[i]!, runAt, {
      graceDays: snapshot.graceDays,
      tiers: snapshot.tiers,
    });
    tier.push(state.tier);
    tierSince.push(state.since);
    tierBelowSince.push(state.belowSince);
    tierPending.push(state.pendingTier);
  }

  // Lifecycle stage and churn risk at the observation end.
  const now = new Date((endDay + 1) * DAY_MS - 1);
  const lifecycle: string[] = [];
  const risk: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const orders = columns.orders[i]!;
    const expected = scores[i]!.expectedPurchases;
    const input: LifecycleInput = {
      orderCount: orders,
      firstOrderAt: orders > 0 ? new Date(Math.min(columns.firstAtMs[i]!, now.getTime())) : null,
      lastOrderAt: orders > 0 ? new Date(Math.min(columns.lastAtMs[i]!, now.getTime())) : null,
      pAlive: scores[i]!.pAlive,
      expectedDaysToNextPurchase:
        expected !== null && expected > 0 ? (horizonMonths * DAYS_PER_MONTH) / expected : null,
      ordersInRecentHalf: null,
      now,
    };
    lifecycle.push(lifecycleStage(input, snapshot.lifecycle));
    risk.push(churnRisk(input, snapshot.lifecycle));
  }

  return {
    tier,
    tierSince,
    tierBelowSince,
    tierPending,
    rfm,
    rfmGroup: rfm.map((s) => rfmGroup(s, snapshot.rfmGrid)),
    lifecycleStage: lifecycle,
    churnRisk: risk,
    cluster,
  };
}

/** The snapshot columns the segmentation fills, in the order of {@link segmentValues}. */
export const SEGMENT_COLUMNS = [
  "tier_key",
  "tier_since",
  "tier_below_since",
  "tier_pending",
  "rfm_r",
  "rfm_f",
  "rfm_m",
  "rfm_group",
  "lifecycle_stage",
  "churn_risk",
  "cluster",
] as const;

/** Customer `i`'s segmentation as snapshot values. */
export function segmentValues(segments: CustomerSegments, i: number): unknown[] {
  const rfm = segments.rfm[i]!;
  const below = segments.tierBelowSince[i]!;
  return [
    segments.tier[i]!,
    toSqlDateTime(segments.tierSince[i]!),
    below === null ? null : toSqlDateTime(below),
    segments.tierPending[i]!,
    rfm?.r ?? null,
    rfm?.f ?? null,
    rfm?.m ?? null,
    segments.rfmGroup[i]!,
    segments.lifecycleStage[i]!,
    segments.churnRisk[i]!,
    segments.cluster[i]!,
  ];
}

/**
 * What a run segments by: the tiers, policy and grace as they are when it starts, and each
 * customer's tier state after the current (latest successful) run; under a points policy or a
 * windowed spend policy, every customer's qualifying figure at `at` (one grouped query).
 *
 * @param options the run's time (the qualification window ends there) and the store currency.
 */
export async function readSegmentationInputs(
  dataSource: DataSource,
  options: { at: Date; currency: string },
): Promise<{ snapshot: SegmentationSnapshot; previous: Map<number, TierState> }> {
  const valueQueries = new ValueQueryService(dataSource);
  const tierService = new TierService(dataSource, valueQueries);
  // One after the other: the embedded SQLite database has one connection.
  const tiers = await tierService.list();
  const settings = await tierService.scoringSettings();
  const runId = await valueQueries.currentRunId();
  const previous = new Map<number, TierState>();
  if (runId !== null) {
    const rows: {
      customer_id: number | string;
      tier_key: string;
      tier_since: Date | string | null;
      tier_below_since: Date | string | null;
      tier_pending: string | null;
    }[] = await dataSource.query(
      "SELECT customer_id, tier_key, tier_since, tier_below_since, tier_pending FROM customer_values " +
        "WHERE run_id = ? AND tier_key IS NOT NULL",
      [runId],
    );
    for (const row of rows) {
      previous.set(Number(row.customer_id), {
        tier: row.tier_key,
        since: fromSqlDateTime(row.tier_since) ?? new Date(0),
        belowSince: fromSqlDateTime(row.tier_below_since),
        pendingTier: row.tier_pending,
      });
    }
  }
  const policy = settings.policy;
  const qualifying =
    isQualifyingPolicy(policy) &&
    (policy.kind === "points_threshold" || policy.windowMonths != null)
      ? await readQualifyingFigures(
          dataSource,
          sqlDialect(dataSource),
          policy,
          options.at,
          options.currency,
        )
      : null;
  return {
    snapshot: {
      qualifying,
      tiers: tiers.map((t) => ({ key: t.key, name: t.name, rank: t.rank, benefits: t.benefits })),
      policy: settings.policy,
      graceDays: settings.graceDays,
      clusters: settings.clusters,
      rfmGrid: rfmGrid(settings.rfmRules),
      lifecycle: settings.lifecycle,
      seed: 1,
    },
    previous,
  };
}
