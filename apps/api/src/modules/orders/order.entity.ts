import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from "typeorm";
import { bigintNumber, DATETIME } from "../../db/column-types";

export type OrderStatus = "completed" | "refunded";

/**
 * One order. There is deliberately no database foreign key to customers: sharded
 * MySQL-compatible engines (Vitess) do not enforce them; the import and the API check that the
 * customer exists before writing.
 */
@Entity({ name: "orders" })
@Index("idx_orders_customer_placed", ["customerId", "placedAt", "id"])
export class OrderEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_orders_external_id", { unique: true })
  @Column({ name: "external_id", type: "varchar", length: 191 })
  externalId: string;

  @Column({ name: "customer_id", type: "int" })
  customerId: number;

  @Column({ name: "placed_at", type: DATETIME, precision: 3 })
  placedAt: Date;

  /** Order amount in minor units of `currency`. */
  @Column({ name: "amount_minor", type: "bigint", transformer: bigintNumber })
  amountMinor: number;

  /** Margin in minor units; null when the file gave none (the default margin rate applies). */
  @Column({ name: "margin_minor", type: "bigint", nullable: true, transformer: bigintNumber })
  marginMinor: number | null;

  @Column({ type: "varchar", length: 3 })
  currency: string;

  @Column({ type: "varchar", length: 16 })
  status: OrderStatus;

  @CreateDateColumn({ name: "created_at", type: DATETIME })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: DATETIME })
  updatedAt: Date;
}
