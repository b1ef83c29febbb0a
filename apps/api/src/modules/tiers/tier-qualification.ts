import {
  assignTiers,
  DEFAULT_TIER_POLICY,
  isQualifyingPolicy,
  qualificationWindowStart,
  validateTierPolicy,
  type MinorUnits,
  type QualifyingPolicy,
  type TierDefinition,
  type TierPolicy,
} from "@valuetier/domain";
import type { DataSource, EntityManager } from "typeorm";
import {
  chunks,
  insertAllNew,
  sqlDialect,
  type SqlDialect,
  type SqlValue,
} from "../../db/sql-dialect";
import { toSqlDateTime } from "../../db/sql-values";
import { hasSubscribers } from "../webhooks/emit-event";
import type { TierChangedPayload } from "../webhooks/webhook-event-types";
import { TierEntity } from "./tier.entity";

/**
 * Qualifying for a tier by points or spend (the rules: @valuetier/domain tier-qualification.ts):
 * the SQL that adds up each customer's qualifying points or spend (one grouped statement, the
 * same on MySQL and SQLite), and the upgrade at once when an earn lifts a customer over a better
 * tier's threshold.
 */

type Queryable = Pick<EntityManager, "query">;

/** The operation of an adjust entry that gives a redemption back (not earning). */
const REVERSE_REDEMPTION = "reverse_redemption";

/**
 * One grouped SELECT of `customer_id, figure`: each customer's qualifying points (points policy)
 * or spend in minor units (spend policy) over the policy's window ending at `at`, for every
 * customer (`customerIds` null) or the ones listed. Customers with nothing have no row.
 *
 * Points: earn entries and positive adjustments (not redemptions given back) dated in the window,
 * less what reverse entries asked back of orders whose points were earned in the window
 * (`clawback.requested`; the entry's own points when it has none). Spend: completed orders in the
 * store currency placed in the window.
 */
export function qualifyingFiguresSql(
  dialect: SqlDialect,
  policy: QualifyingPolicy,
  at: Date,
  currency: string,
  customerIds: readonly number[] | null,
): { sql: string; params: SqlValue[] } {
  const from = qualificationWindowStart(policy.windowMonths, at);
  const params: SqlValue[] = [];
  const only = (column: string): string => {
    if (customerIds === null) return "";
    const list = dialect.inList(customerIds);
    params.push(...(list.params ?? []));
    return ` AND ${column} IN (${list.sql})`;
  };
  if (policy.kind === "spend_threshold") {
    params.push(currency);
    let sql =
      "SELECT o.customer_id AS customer_id, SUM(o.amount_minor) AS figure FROM orders o " +
      "WHERE o.status = 'completed' AND o.currency = ?";
    if (from !== null) {
      sql += " AND o.placed_at >= ?";
      params.push(toSqlDateTime(from));
    }
    sql += only("o.customer_id") + " GROUP BY o.customer_id";
    return { sql, params };
  }
  const requested = `COALESCE(${dialect.jsonInteger("e.clawback_json", "requested")}, -e.points)`;
  let earned = "(e.type = 'earn' OR (e.type = 'adjust' AND e.points > 0 AND e.operation <> ?))";
  params.push(REVERSE_REDEMPTION);
  let reversed = "e.type = 'reverse'";
  if (from !== null) {
    earned += " AND e.at >= ?";
    reversed +=
      " AND EXISTS (SELECT 1 FROM loyalty_entries x WHERE x.account_id = e.account_id " +
      "AND x.source = e.source AND x.type = 'earn' AND x.at >= ?)";
    params.push(toSqlDateTime(from), toSqlDateTime(from));
  }
  const sql =
    `SELECT e.account_id AS customer_id, SUM(CASE WHEN e.type = 'reverse' THEN -${requested} ELSE e.points END) AS figure ` +
    `FROM loyalty_entries e WHERE ((${earned}) OR (${reversed}))` +
    only("e.account_id") +
    " GROUP BY e.account_id";
  return { sql, params };
}

/** A figure the database summed (DECIMAL text on MySQL, an integer on SQLite), never below 0. */
function figureOf(value: unknown): MinorUnits {
  if (value === null || value === undefined) return 0;
  const n = BigInt(String(value).replace(/\.0*$/, ""));
  if (n <= 0n) return 0;
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/**
 * Each customer's qualifying points or spend under `policy` at `at` (one grouped statement per
 * 1,000 customers listed, or one for everyone). Customers without any are left out: their
 * figure is 0.
 */
export async function readQualifyingFigures(
  run: Queryable,
  dialect: SqlDialect,
  policy: QualifyingPolicy,
  at: Date,
  currency: string,
  customerIds: readonly number[] | null = null,
): Promise<Map<number, MinorUnits>> {
  const figures = new Map<number, MinorUnits>();
  const parts = customerIds === null ? [null] : chunks([...new Set(customerIds)], 1000);
  for (const part of parts) {
    if (part !== null && part.length === 0) continue;
    const { sql, params } = qualifyingFiguresSql(dialect, policy, at, currency, part);
    const rows: { customer_id: unknown; figure: unknown }[] = await run.query(sql, params);
    for (const row of rows) figures.set(Number(row.customer_id), figureOf(row.figure));
  }
  return figures;
}

/** The policy and tiers an earn checks against, read at most every few seconds per process. */
interface CachedPolicy {
  policy: TierPolicy;
  tiers: TierDefinition[];
  /** The policy is a valid points or spend policy over the tiers: earns may upgrade. */
  upgrades: boolean;
  readAt: number;
}

const cachedPolicies = new WeakMap<object, CachedPolicy>();

/**
 * Forgets the policy an earn checks against, so that the next earn in this process reads the
 * saved one (TierService calls it after saving a policy or changing tiers). Other processes
 * read it again within {@link POLICY_CACHE_MS}.
 */
export function forgetTierPolicy(dataSource: DataSource): void {
  cachedPolicies.delete(dataSource);
}

/** How long an earn trusts the policy it read, in milliseconds. */
export const POLICY_CACHE_MS = 5_000;

async function policyFor(manager: EntityManager): Promise<CachedPolicy> {
  const cached = cachedPolicies.get(manager.connection);
  if (cached && Date.now() - cached.readAt < POLICY_CACHE_MS) return cached;
  const rows: { policy_json: string }[] = await manager.query(
    "SELECT policy_json FROM segmentation_settings WHERE id = 1",
  );
  const policy = rows[0] ? (JSON.parse(rows[0].policy_json) as TierPolicy) : DEFAULT_TIER_POLICY;
  let tiers: TierDefinition[] = [];
  let upgrades = false;
  if (isQualifyingPolicy(policy)) {
    tiers = (await manager.getRepository(TierEntity).find()).map((t) => ({
      key: t.key,
      name: t.name,
      rank: t.rank,
      benefits: t.benefits,
    }));
    // A policy that no longer fits the tiers (a tier deleted meanwhile) upgrades nobody: the
    // scoring run reports it; an earn never fails over it.
    upgrades = validateTierPolicy(tiers, policy).length === 0;
  }
  const entry = { policy, tiers, upgrades, readAt: Date.now() };
  cachedPolicies.set(manager.connection, entry);
  return entry;
}

/**
 * Upgrade at once under a points or spend policy: after an earn (orders' points, points credited,
 * bonuses, adjustments), a customer whose qualifying points or spend now reach a better tier than
 * the one they hold moves up in the same transaction. The tier state is the one the scoring run
 * keeps (the current run's `customer_values` row: tier, since, no pending downgrade), and the
 * move is a `tier.changed` event like a run's. Downgrades are never made here: they wait for a
 * scoring run and its grace period.
 *
 * Cost per transaction: nothing under any other policy (the policy is cached per process for
 * {@link POLICY_CACHE_MS}); one SELECT under a points or spend policy (held tiers and figures
 * together), and an UPDATE plus the event's statements only when someone moves up. Customers
 * without a row in the current run (new since it, or before the first run) get their first tier
 * from the next run.
 */
export class TierQualification {
  constructor(private readonly options: { currency: string }) {}

  /**
   * Checks the customers whose points or spend just grew, in the caller's transaction (after
   * the earn is written, with their loyalty accounts locked).
   *
   * @param manager the earn's transaction.
   * @param customerIds the customers who earned.
   * @param at the earn's time: the qualification window ends there, and an upgrade dates from it.
   * @returns how many customers moved up.
   */
  async afterEarn(
    manager: EntityManager,
    customerIds: readonly number[],
    at: Date,
  ): Promise<number> {
    if (customerIds.length === 0) return 0;
    const { policy, tiers, upgrades } = await policyFor(manager);
    if (!upgrades || !isQualifyingPolicy(policy)) return 0;
    const dialect = sqlDialect(manager.connection);
    const rankOf = new Map(tiers.map((t) => [t.key, t.rank]));
    const held: {
      runId: number;
      customerId: number;
      externalId: string;
      tier: string | null;
      figure: MinorUnits;
    }[] = [];
    for (const part of chunks([...new Set(customerIds)], 1000)) {
      const figures = qualifyingFiguresSql(dialect, policy, at, this.options.currency, part);
      const list = dialect.inList(part);
      const rows: Record<string, unknown>[] = await manager.query(
        "SELECT cv.run_id, cv.customer_id, c.external_id, cv.tier_key, q.figure " +
          "FROM customer_values cv JOIN customers c ON c.id = cv.customer_id " +
          `LEFT JOIN (${figures.sql}) q ON q.customer_id = cv.customer_id ` +
          "WHERE cv.run_id = (SELECT MAX(id) FROM scoring_runs WHERE status = 'succeeded') " +
          `AND cv.customer_id IN (${list.sql})`,
        [...figures.params, ...(list.params ?? [])],
      );
      for (const row of rows) {
        held.push({
          runId: Number(row.run_id),
          customerId: Number(row.customer_id),
          externalId: String(row.external_id),
          tier: row.tier_key === null ? null : String(row.tier_key),
          figure: figureOf(row.figure),
        });
      }
    }
    if (held.length === 0) return 0;
    const points = policy.kind === "points_threshold";
    const computed = assignTiers(
      held.map((h) => ({
        clvMinor: null,
        totalSpentMinor: points ? null : h.figure,
        points: points ? h.figure : null,
        clusterRank: null,
      })),
      policy,
      tiers,
    );
    const moved = held
      .map((h, i) => ({ ...h, to: computed[i]! }))
      .filter((h) => {
        const from = h.tier === null ? undefined : rankOf.get(h.tier);
        return h.tier === null || (from !== undefined && rankOf.get(h.to)! < from);
      });
    if (moved.length === 0) return 0;
    const since = toSqlDateTime(at);
    for (const runId of new Set(moved.map((m) => m.runId))) {
      const held = moved.filter((m) => m.runId === runId);
      await holdTiers(
        manager,
        dialect,
        runId,
        held.map((m) => ({ customerId: m.customerId, tier: m.to, since })),
      );
    }
    if (await hasSubscribers(manager, "tier.changed")) {
      const now = toSqlDateTime(new Date());
      const events: SqlValue[] = [];
      for (const m of moved) {
        const payload: TierChangedPayload = {
          customerId: m.externalId,
          previousTier: m.tier,
          tier: m.to,
          scoringRunId: m.runId,
          changedAt: at.toISOString(),
        };
        events.push(
          "tier.changed",
          `run:${m.runId}:customer:${m.customerId}:up:${m.to}`.slice(0, 191),
          JSON.stringify(payload),
          0,
          now,
        );
      }
      const columns = ["type", "event_key", "payload_json", "fanned_out", "created_at"];
      for (const part of chunks(events, dialect.rowsPerInsert(5, 500) * 5)) {
        if (!(await insertAllNew(manager, dialect, "webhook_events", columns, part))) {
          // One of them is already stored (the same upgrade): write the others one by one.
          for (let i = 0; i < part.length; i += 5) {
            await insertAllNew(manager, dialect, "webhook_events", columns, part.slice(i, i + 5));
          }
        }
      }
    }
    return moved.length;
  }
}

/**
 * Keeps the upgrades earns made while a scoring run was under way. A run reads each customer's
 * tier state from the current run when it segments (at `readAt`); an earn that moves a customer
 * up after that writes into the current run's row, which the new run would otherwise replace
 * with the tier it computed from older figures. Called in the transaction that makes run `runId`
 * current (before its tier.changed events are written): each customer whose row in
 * `previousRunId` was upgraded after `readAt` (its `tier_since`) to a better tier than the new
 * row holds gets that tier, its date and no pending downgrade in the new run. One SELECT, and
 * one UPDATE when there is anything to carry.
 *
 * @returns how many customers' upgrades were carried.
 */
export async function carryEarnUpgrades(
  manager: EntityManager,
  runId: number,
  previousRunId: number,
  readAt: Date,
): Promise<number> {
  const rows: { customer_id: unknown; tier_key: string; tier_since: Date | string }[] =
    await manager.query(
      "SELECT prev.customer_id, prev.tier_key, prev.tier_since FROM customer_values prev " +
        "JOIN customer_values cv ON cv.run_id = ? AND cv.customer_id = prev.customer_id " +
        "JOIN tiers held ON held.`key` = prev.tier_key JOIN tiers computed ON computed.`key` = cv.tier_key " +
        "WHERE prev.run_id = ? AND prev.tier_since > ? AND held.`rank` < computed.`rank`",
      [runId, previousRunId, toSqlDateTime(readAt)],
    );
  if (rows.length === 0) return 0;
  const dialect = sqlDialect(manager.connection);
  await holdTiers(
    manager,
    dialect,
    runId,
    rows.map((row) => ({
      customerId: Number(row.customer_id),
      tier: row.tier_key,
      since: row.tier_since instanceof Date ? toSqlDateTime(row.tier_since) : row.tier_since,
    })),
  );
  return rows.length;
}

/**
 * Sets customers' tier in run `runId`'s rows, held since `since` (SQL datetime text) with no
 * downgrade pending, 500 customers per UPDATE.
 */
async function holdTiers(
  manager: EntityManager,
  dialect: SqlDialect,
  runId: number,
  held: readonly { customerId: number; tier: string; since: string }[],
): Promise<void> {
  for (const part of chunks(held, 500)) {
    const values: SqlValue[] = [];
    for (const h of part) values.push(h.customerId, h.tier, h.since, null, null);
    const update = dialect.updateFromRows(
      "customer_values",
      ["customer_id", "tier_key", "tier_since", "tier_below_since", "tier_pending"],
      values,
      `customer_values.run_id = ${Number(runId)}`,
    );
    await manager.query(update.sql, update.params);
  }
}
