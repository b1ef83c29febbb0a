import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from "typeorm";
import { bigintNumber, DATETIME } from "../../db/column-types";

/**
 * A customer of the business. Order aggregates (count, total spent, first and last order) are
 * kept on the row, recomputed from the orders whenever orders are written, so that the customer
 * list can sort and page on them through indexes.
 */
@Entity({ name: "customers" })
@Index("idx_customers_name", ["name", "id"])
@Index("idx_customers_first_seen", ["firstSeenAt", "id"])
@Index("idx_customers_total_spent", ["totalSpentMinor", "id"])
@Index("idx_customers_order_count", ["orderCount", "id"])
@Index("idx_customers_last_order", ["lastOrderAt", "id"])
@Index("idx_customers_channel", ["acquisitionChannel", "id"])
export class CustomerEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_customers_external_id", { unique: true })
  @Column({ name: "external_id", type: "varchar", length: 191 })
  externalId: string;

  @Index("uq_customers_email", { unique: true })
  @Column({ type: "varchar", length: 254, nullable: true })
  email: string | null;

  @Column({ type: "varchar", length: 255, default: "" })
  name: string;

  /** When the business first saw the customer (created_at in customers.csv). */
  @Column({ name: "first_seen_at", type: DATETIME, precision: 3 })
  firstSeenAt: Date;

  @Column({ name: "acquisition_channel", type: "varchar", length: 64, nullable: true })
  acquisitionChannel: string | null;

  /** Cost of acquiring this customer, in minor units of the store currency. */
  @Column({
    name: "acquisition_cost_minor",
    type: "bigint",
    nullable: true,
    transformer: bigintNumber,
  })
  acquisitionCostMinor: number | null;

  /** Tags, normalised and joined with ';' (see normaliseTags in the domain). */
  @Column({ type: "varchar", length: 1024, default: "" })
  tags: string;

  /** Net promoter score 0–10 from the latest survey, when known. */
  @Column({ type: "smallint", nullable: true })
  nps: number | null;

  /** Completed orders; like every aggregate here it ignores refunded orders (no purchase). */
  @Column({ name: "order_count", type: "int", default: 0 })
  orderCount: number;

  /** Sum of completed orders, in minor units. */
  @Column({ name: "total_spent_minor", type: "bigint", default: 0, transformer: bigintNumber })
  totalSpentMinor: number;

  @Column({ name: "first_order_at", type: DATETIME, precision: 3, nullable: true })
  firstOrderAt: Date | null;

  @Column({ name: "last_order_at", type: DATETIME, precision: 3, nullable: true })
  lastOrderAt: Date | null;

  @CreateDateColumn({ name: "created_at", type: DATETIME })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: DATETIME })
  updatedAt: Date;
}
