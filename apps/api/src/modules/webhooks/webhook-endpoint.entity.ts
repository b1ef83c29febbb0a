import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { DATETIME } from "../../db/column-types";

/**
 * A URL that receives the events it subscribes to, signed with its own secret. The secret is
 * stored as it is (signing needs it) and shown to the admin once, when the endpoint is made.
 */
@Entity({ name: "webhook_endpoints" })
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "varchar", length: 2000 })
  url: string;

  @Column({ type: "varchar", length: 200, default: "" })
  description: string;

  /**
   * The subscribed event types between commas, with a comma at each end
   * (",tier.changed,reward.redeemed,"), so that SQL can match one with LIKE '%,type,%'.
   */
  @Column({ type: "varchar", length: 500 })
  events: string;

  @Column({ type: "varchar", length: 100 })
  secret: string;

  /**
   * 0 while disabled: nothing is sent to it (its deliveries wait) and events emitted meanwhile
   * are not for it.
   */
  @Column({ type: "tinyint", default: 1 })
  active: number;

  /** When it was last disabled: events from before still go to it once it is enabled again. */
  @Column({ name: "disabled_at", type: DATETIME, precision: 3, nullable: true })
  disabledAt: Date | null;

  @Column({ name: "created_by", type: "varchar", length: 254 })
  createdBy: string;

  @Index("idx_webhook_endpoints_created")
  @Column({ name: "created_at", type: DATETIME, precision: 3 })
  createdAt: Date;

  @Column({ name: "updated_at", type: DATETIME, precision: 3 })
  updatedAt: Date;
}
