import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { DATETIME } from "../../db/column-types";

/**
 * The outbox: one row per event, written in the transaction of the change it reports (so an
 * event exists only when that change committed). `type` + `event_key` is unique, so emitting
 * the same fact twice makes one event. The delivery job fans each event out to the endpoints
 * subscribed to it (one webhook_deliveries row each) and then sets `fanned_out`.
 */
@Entity({ name: "webhook_events" })
@Index("uq_webhook_events_key", ["type", "eventKey"], { unique: true })
@Index("idx_webhook_events_fan_out", ["fannedOut", "id"])
export class WebhookEventEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "varchar", length: 64 })
  type: string;

  @Column({ name: "event_key", type: "varchar", length: 191 })
  eventKey: string;

  @Column({ name: "payload_json", type: "text" })
  payloadJson: string;

  @Column({ name: "fanned_out", type: "tinyint", default: 0 })
  fannedOut: number;

  @Column({ name: "created_at", type: DATETIME, precision: 3 })
  createdAt: Date;
}
