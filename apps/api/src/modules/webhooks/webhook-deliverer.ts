import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { fromSqlDateTime, toSqlDateTime } from "../../db/sql-values";
import { inList, sqlDialect } from "../../db/sql-dialect";
import { runInTransaction } from "../../db/transaction";
import { execute } from "./emit-event";
import {
  DEFAULT_RETRY_POLICY,
  retryDelayMs,
  type WebhookRetryPolicy,
} from "./webhook-retry-policy";
import { signWebhook, SIGNATURE_HEADER } from "./webhook-signature";

export interface WebhookDelivererOptions {
  retry?: WebhookRetryPolicy;
  /** How long one POST may take, the answer's body included, in ms. Default 10,000. */
  timeoutMs?: number;
  /**
   * How long a claimed delivery stays this worker's: well past the POST's timeout, so that a
   * lease never runs out while its POST may still reach the receiver. Default 3 × timeout.
   */
  leaseMs?: number;
  /** Deliveries claimed at a time. Default 50. */
  batchSize?: number;
  /** POSTs under way at once. Default 4. */
  concurrency?: number;
  /** The time (tests move it instead of waiting). Default the system clock. */
  clock?: () => Date;
  /** Between 0 and 1, for the retry jitter. Default Math.random. */
  random?: () => number;
}

/** A delivery this worker holds the lease of, with what it sends. */
interface Claimed {
  id: number;
  eventId: number;
  attempts: number;
  manualRetry: boolean;
  type: string;
  payloadJson: string;
  eventCreatedAt: Date;
  url: string;
  secret: string;
  /** The lease this worker holds it under. */
  token: string;
}

export interface DeliveryRound {
  /** Events fanned out to endpoints in this round. */
  fannedOut: number;
  /** POSTs made. */
  sent: number;
  succeeded: number;
  /** Attempts that failed (some will be retried). */
  failed: number;
}

const EXCERPT_LENGTH = 500;
const FAN_OUT_BATCH = 1000;

/**
 * Sends the outbox: fans new events out to the endpoints subscribed to them, then claims due
 * deliveries and POSTs them, signed, recording each answer. Any number of workers (in any
 * number of processes) may run at once: a delivery is claimed with one conditional UPDATE of
 * its lease columns, so exactly one worker sends a given attempt, and its result is recorded
 * only under the same lease.
 */
export class WebhookDeliverer {
  readonly retry: WebhookRetryPolicy;
  private readonly timeoutMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly clock: () => Date;
  private readonly random: () => number;

  constructor(
    private readonly dataSource: DataSource,
    options: WebhookDelivererOptions = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.leaseMs = options.leaseMs ?? 3 * this.timeoutMs;
    this.batchSize = options.batchSize ?? 50;
    this.concurrency = options.concurrency ?? 4;
    this.clock = options.clock ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /**
   * Fans out every new event, then sends due deliveries until none is left due now (or
   * `signal` aborts). `beforeBatch` runs before each batch (the job's heartbeat).
   */
  async deliverDue(
    options: { signal?: AbortSignal; beforeBatch?: () => Promise<void> } = {},
  ): Promise<DeliveryRound> {
    const round: DeliveryRound = { fannedOut: 0, sent: 0, succeeded: 0, failed: 0 };
    round.fannedOut = await this.fanOut();
    let lostRaces = 0;
    for (;;) {
      if (options.signal?.aborted) break;
      await options.beforeBatch?.();
      const { claimed, found } = await this.claimDue(this.batchSize);
      if (found === 0) break;
      if (claimed.length === 0) {
        // Another worker claimed the same rows first: look again, unless that keeps happening.
        if (++lostRaces >= 20) break;
        continue;
      }
      lostRaces = 0;
      let next = 0;
      const worker = async () => {
        while (next < claimed.length) {
          const delivery = claimed[next++]!;
          const ok = await this.send(delivery);
          round.sent++;
          if (ok) round.succeeded++;
          else round.failed++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, claimed.length) }, worker));
    }
    return round;
  }

  /** Whether anything is to be done now: an event not fanned out or a delivery due. */
  async hasWork(): Promise<boolean> {
    const events: unknown[] = await this.dataSource.query(
      "SELECT id FROM webhook_events WHERE fanned_out = 0 LIMIT 1",
    );
    if (events.length > 0) return true;
    const now = toSqlDateTime(this.clock());
    const due: unknown[] = await this.dataSource.query(
      "SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints p ON p.id = d.endpoint_id " +
        "WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND p.active = 1 " +
        "AND (d.lease_until IS NULL OR d.lease_until < ?) LIMIT 1",
      [now, now],
    );
    return due.length > 0;
  }

  /**
   * Makes one pending delivery per (event, subscribed endpoint made before the event and not
   * disabled when it was emitted) for each event not fanned out yet, and marks the events fanned out, a batch per
   * transaction. The events are read FOR UPDATE and a delivery is only made where none exists,
   * so two workers never make the same one twice (the unique key would refuse it anyway).
   *
   * @returns the events fanned out.
   */
  async fanOut(): Promise<number> {
    const dialect = sqlDialect(this.dataSource);
    let total = 0;
    for (;;) {
      const done = await runInTransaction(this.dataSource, async (manager) => {
        const rows: { id: number | string }[] = await manager.query(
          `SELECT id FROM webhook_events WHERE fanned_out = 0 ORDER BY id LIMIT ${FAN_OUT_BATCH}${dialect.forUpdate}`,
        );
        if (rows.length === 0) return 0;
        const ids = rows.map((r) => Number(r.id));
        const now = toSqlDateTime(this.clock());
        await manager.query(
          "INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, manual_retry, next_attempt_at, created_at) " +
            "SELECT e.id, p.id, 'pending', 0, 0, ?, ? FROM webhook_events e " +
            "JOIN webhook_endpoints p ON p.created_at <= e.created_at " +
            "AND (p.active = 1 OR p.disabled_at > e.created_at) " +
            "AND p.events LIKE CONCAT('%,', e.type, ',%') " +
            `WHERE e.id IN (${inList(ids.length)}) AND NOT EXISTS ` +
            "(SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.endpoint_id = p.id)",
          [now, now, ...ids],
        );
        await manager.query(
          `UPDATE webhook_events SET fanned_out = 1 WHERE id IN (${inList(ids.length)})`,
          ids,
        );
        return ids.length;
      });
      total += done;
      if (done < FAN_OUT_BATCH) return total;
    }
  }

  /**
   * Claims up to `limit` due deliveries of active endpoints for this worker: one conditional
   * UPDATE sets a fresh lease token on those still pending, due and unleased (or whose lease
   * ran out), and only the rows that carry the token afterwards are this worker's.
   *
   * @returns the claimed deliveries, and how many due ones were found (claimed by this worker
   *   or, when more than claimed, by another one at the same moment).
   */
  async claimDue(limit: number): Promise<{ claimed: Claimed[]; found: number }> {
    const nowDate = this.clock();
    const now = toSqlDateTime(nowDate);
    const candidates: { id: number | string }[] = await this.dataSource.query(
      "SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints p ON p.id = d.endpoint_id " +
        "WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND p.active = 1 " +
        "AND (d.lease_until IS NULL OR d.lease_until < ?) " +
        `ORDER BY d.next_attempt_at, d.id LIMIT ${Math.max(1, Math.floor(limit))}`,
      [now, now],
    );
    if (candidates.length === 0) return { claimed: [], found: 0 };
    const ids = candidates.map((r) => Number(r.id));
    const token = randomBytes(12).toString("hex");
    const until = toSqlDateTime(new Date(nowDate.getTime() + this.leaseMs));
    const updated = await runInTransaction(this.dataSource, (manager) =>
      execute(
        manager,
        "UPDATE webhook_deliveries SET lease_token = ?, lease_until = ? " +
          `WHERE id IN (${inList(ids.length)}) AND status = 'pending' AND next_attempt_at <= ? ` +
          "AND (lease_until IS NULL OR lease_until < ?)",
        [token, until, ...ids, now, now],
      ),
    );
    if (updated === 0) return { claimed: [], found: ids.length };
    const rows: {
      id: number | string;
      event_id: number | string;
      attempts: number | string;
      manual_retry: number | string;
      type: string;
      payload_json: string;
      event_created_at: Date | string;
      url: string;
      secret: string;
    }[] = await this.dataSource.query(
      "SELECT d.id, d.event_id, d.attempts, d.manual_retry, e.type, e.payload_json, " +
        "e.created_at AS event_created_at, p.url, p.secret FROM webhook_deliveries d " +
        "JOIN webhook_events e ON e.id = d.event_id JOIN webhook_endpoints p ON p.id = d.endpoint_id " +
        `WHERE d.id IN (${inList(ids.length)}) AND d.lease_token = ? ORDER BY d.id`,
      [...ids, token],
    );
    const claimed = rows.map((r) => ({
      id: Number(r.id),
      eventId: Number(r.event_id),
      attempts: Number(r.attempts),
      manualRetry: Number(r.manual_retry) === 1,
      type: r.type,
      payloadJson: r.payload_json,
      eventCreatedAt: fromSqlDateTime(r.event_created_at)!,
      url: r.url,
      secret: r.secret,
      token,
    }));
    return { claimed, found: ids.length };
  }

  /** POSTs one claimed delivery and records the answer under its lease; true on a 2xx. */
  private async send(delivery: Claimed): Promise<boolean> {
    const attempt = delivery.attempts + 1;
    const body = webhookBody(
      delivery.eventId,
      delivery.type,
      delivery.eventCreatedAt,
      delivery.payloadJson,
    );
    const sentAt = this.clock();
    const started = performance.now();
    let status: number | null = null;
    let excerpt: string | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          "content-type": "application/json",
          "user-agent": "ValueTier-Webhooks/1",
          [SIGNATURE_HEADER]: signWebhook(delivery.secret, body, Math.floor(Date.now() / 1000)),
          "X-ValueTier-Delivery": String(delivery.id),
          "X-ValueTier-Event": String(delivery.eventId),
          "X-ValueTier-Event-Type": delivery.type,
          "X-ValueTier-Attempt": String(attempt),
        },
      });
      status = response.status;
      excerpt = await readExcerpt(response);
      if (status < 200 || status > 299) error = `the endpoint answered HTTP ${status}`;
    } catch (thrown) {
      error = describeFetchError(thrown, this.timeoutMs);
    }
    const durationMs = Math.round(performance.now() - started);
    const ok = error === null;
    const finalFailure = !ok && (delivery.manualRetry || attempt >= this.retry.maxAttempts);
    const next =
      ok || finalFailure
        ? null
        : new Date(this.clock().getTime() + retryDelayMs(attempt, this.retry, this.random));
    await runInTransaction(this.dataSource, (manager) =>
      manager.query(
        "UPDATE webhook_deliveries SET status = ?, attempts = ?, manual_retry = 0, next_attempt_at = ?, " +
          "lease_token = NULL, lease_until = NULL, last_attempt_at = ?, response_status = ?, " +
          "response_excerpt = ?, last_error = ?, duration_ms = ?, delivered_at = ? " +
          "WHERE id = ? AND lease_token = ?",
        [
          ok ? "succeeded" : finalFailure ? "failed" : "pending",
          attempt,
          next ? toSqlDateTime(next) : null,
          toSqlDateTime(sentAt),
          status,
          excerpt,
          error?.slice(0, EXCERPT_LENGTH) ?? null,
          durationMs,
          ok ? toSqlDateTime(this.clock()) : null,
          delivery.id,
          delivery.token,
        ],
      ),
    );
    return ok;
  }
}

/**
 * What a delivery POSTs: the event's id, type, time and payload. The same for every attempt and
 * every endpoint; receivers de-duplicate on `id` (also in the X-ValueTier-Event header).
 */
export function webhookBody(
  eventId: number,
  type: string,
  createdAt: Date,
  payloadJson: string,
): string {
  return JSON.stringify({
    id: String(eventId),
    type,
    createdAt: createdAt.toISOString(),
    data: JSON.parse(payloadJson) as unknown,
  });
}

/** The start of an answer's body, read no further than needed. */
async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 2048) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\uFFFD+$/, "");
  return text.length === 0 ? null : text.slice(0, EXCERPT_LENGTH);
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code)
    return `could not connect: ${cause.code}${cause.message ? ` (${cause.message})` : ""}`;
  return error instanceof Error ? error.message : String(error);
}
