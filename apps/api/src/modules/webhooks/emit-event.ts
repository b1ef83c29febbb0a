import type { EntityManager } from "typeorm";
import { toSqlDateTime } from "../../db/sql-values";
import { insertAllNew, sqlDialect } from "../../db/sql-dialect";
import type { WebhookEvent, WebhookEventType } from "./webhook-event-types";

const MAX_KEY_LENGTH = 191;

/** The LIKE pattern that finds endpoints subscribed to `type` (see WebhookEndpointEntity.events). */
export const subscribedTo = (type: WebhookEventType) => `%,${type},%`;

/**
 * Whether an active endpoint subscribes to `type`: when none does, an event of that type is not
 * written at all (nobody would receive it; an endpoint made later receives only later events).
 */
export async function hasSubscribers(
  manager: Pick<EntityManager, "query">,
  type: WebhookEventType,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    "SELECT id FROM webhook_endpoints WHERE active = 1 AND events LIKE ? LIMIT 1",
    [subscribedTo(type)],
  );
  return rows.length > 0;
}

/**
 * Writes an event into the outbox in the caller's transaction: it exists only if what it
 * reports commits, and the delivery job sends it after that. Emitting the same type and key
 * again (a retried transaction, a job run twice) writes nothing more.
 *
 * @param manager the caller's transaction (from runInTransaction).
 * @param event the type, the key naming the fact (e.g. "redemption:42") and the payload.
 * @returns true when the event was written, false when it already existed or no active
 *   endpoint subscribes to its type.
 * @throws {RangeError} for an empty key or one longer than 191 characters.
 * @example
 * await runInTransaction(dataSource, async (manager) => {
 *   // … write the redemption …
 *   await emitEvent(manager, { type: "reward.redeemed", key: `redemption:${id}`, payload });
 * });
 */
export async function emitEvent(manager: EntityManager, event: WebhookEvent): Promise<boolean> {
  if (!event.key || event.key.length > MAX_KEY_LENGTH) {
    throw new RangeError(
      `webhook event key must be 1 to ${MAX_KEY_LENGTH} characters, got ${JSON.stringify(event.key)}`,
    );
  }
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error("emitEvent must run inside the transaction of the change it reports");
  }
  if (!(await hasSubscribers(manager, event.type))) return false;
  return insertAllNew(
    manager,
    sqlDialect(manager.connection),
    "webhook_events",
    ["type", "event_key", "payload_json", "fanned_out", "created_at"],
    [event.type, event.key, JSON.stringify(event.payload), 0, toSqlDateTime(new Date())],
  );
}

/**
 * Emits `tier.changed` for every customer whose tier in scoring run `runId` differs from the
 * one in `previousRunId` (null previous tier: the customer had none there), in one
 * INSERT … SELECT in the caller's transaction: the one that makes the run current. The key is
 * the run and the customer, so a run emits each change once.
 *
 * @returns the number of events written (0 when no active endpoint subscribes).
 */
export async function emitTierChanges(
  manager: EntityManager,
  runId: number,
  previousRunId: number | null,
  at: Date,
): Promise<number> {
  if (!(await hasSubscribers(manager, "tier.changed"))) return 0;
  const when = toSqlDateTime(at);
  // JSON_OBJECT and CONCAT are the same functions in MySQL, MariaDB and SQLite (3.44+).
  return execute(
    manager,
    "INSERT INTO webhook_events (type, event_key, payload_json, fanned_out, created_at) " +
      "SELECT 'tier.changed', CONCAT('run:', cv.run_id, ':customer:', cv.customer_id), " +
      "JSON_OBJECT('customerId', c.external_id, 'previousTier', prev.tier_key, 'tier', cv.tier_key, " +
      "'scoringRunId', cv.run_id, 'changedAt', ?), 0, ? " +
      "FROM customer_values cv JOIN customers c ON c.id = cv.customer_id " +
      "LEFT JOIN customer_values prev ON prev.run_id = ? AND prev.customer_id = cv.customer_id " +
      "WHERE cv.run_id = ? AND cv.tier_key IS NOT NULL " +
      "AND (prev.tier_key IS NULL OR prev.tier_key <> cv.tier_key)",
    [at.toISOString(), when, previousRunId ?? 0, runId],
  );
}

/**
 * Runs an INSERT, UPDATE or DELETE in the caller's transaction and returns how many rows it
 * changed, on both drivers (EntityManager.query answers SQLite's last insert id instead).
 */
export async function execute(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<number> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error("execute must run inside a transaction");
  const result = await runner.query(sql, params, true);
  return Number(result.affected ?? 0);
}
