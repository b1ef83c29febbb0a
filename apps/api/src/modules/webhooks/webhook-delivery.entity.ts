import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { DATETIME } from "../../db/column-types";

export type WebhookDeliveryStatus = "pending" | "succeeded" | "failed";

/**
 * One event to one endpoint: its attempts, the last answer and when to try next. A worker
 * claims due rows by setting `lease_token`/`lease_until` in one conditional UPDATE (only rows
 * whose lease is free or expired), so two workers never send the same delivery at once.
 */
@Entity({ name: "webhook_deliveries" })
@Index("uq_webhook_deliveries_event_endpoint", ["eventId", "endpointId"], { unique: true })
@Index("idx_webhook_deliveries_due", ["status", "nextAttemptAt"])
@Index("idx_webhook_deliveries_endpoint", ["endpointId", "id"])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ name: "event_id", type: "int" })
  eventId: number;

  @Column({ name: "endpoint_id", type: "int" })
  endpointId: number;

  @Column({ type: "varchar", length: 16 })
  status: WebhookDeliveryStatus;

  /** HTTP attempts made so far, by the schedule and by hand. */
  @Column({ type: "int", default: 0 })
  attempts: number;

  /** 1 while a redelivery asked by hand waits: one attempt, no automatic retries after it. */
  @Column({ name: "manual_retry", type: "tinyint", default: 0 })
  manualRetry: number;

  /** When a pending delivery is due; null once it succeeded or failed for good. */
  @Column({ name: "next_attempt_at", type: DATETIME, precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: "lease_token", type: "varchar", length: 32, nullable: true })
  leaseToken: string | null;

  @Column({ name: "lease_until", type: DATETIME, precision: 3, nullable: true })
  leaseUntil: Date | null;

  @Column({ name: "last_attempt_at", type: DATETIME, precision: 3, nullable: true })
  lastAttemptAt: Date | null;

  /** HTTP status of the last answer; null when none came (refused, timed out). */
  @Column({ name: "response_status", type: "int", nullable: true })
  responseStatus: number | null;

  /** The start of the last answer's body. */
  @Column({ name: "response_excerpt", type: "varchar", length: 500, nullable: true })
  responseExcerpt: string | null;

  /** Why the last attempt failed, when it did. */
  @Column({ name: "last_error", type: "varchar", length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: "duration_ms", type: "int", nullable: true })
  durationMs: number | null;

  @Column({ name: "delivered_at", type: DATETIME, precision: 3, nullable: true })
  deliveredAt: Date | null;

  @Column({ name: "created_at", type: DATETIME, precision: 3 })
  createdAt: Date;
}
