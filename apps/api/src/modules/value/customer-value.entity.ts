import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import { bigintNumber, DATETIME } from "../../db/column-types";

/**
 * A customer's value as scored by one run. Rows of runs that did not succeed are ignored by
 * readers (and pruned by the next run); rows of succeeded runs are kept as history. Money is
 * in integer minor units of the store currency; probabilities and expected counts are doubles.
 * Customers without orders get a row too (historical value −CAC, no forecast), so that every
 * customer known at the run has a value.
 */
@Entity({ name: "customer_values" })
@Index("idx_customer_values_clv", ["runId", "clvMinor", "customerId"])
@Index("idx_customer_values_p_alive", ["runId", "pAlive", "customerId"])
export class CustomerValueEntity {
  @PrimaryColumn({ name: "run_id", type: "int" })
  runId: number;

  @PrimaryColumn({ name: "customer_id", type: "int" })
  customerId: number;

  /** CLV under the run's model; NULL when the model cannot value the customer. */
  @Column({ name: "clv_minor", type: "bigint", nullable: true, transformer: bigintNumber })
  clvMinor: number | null;

  /** Margin to date − CAC. */
  @Column({ name: "historical_value_minor", type: "bigint", transformer: bigintNumber })
  historicalValueMinor: number;

  @Column({ name: "p_alive", type: "double", nullable: true })
  pAlive: number | null;

  /** Expected repeat purchase days over the run's horizon. */
  @Column({ name: "expected_purchases", type: "double", nullable: true })
  expectedPurchases: number | null;

  /** Gamma-Gamma expected order value. */
  @Column({
    name: "expected_avg_value_minor",
    type: "bigint",
    nullable: true,
    transformer: bigintNumber,
  })
  expectedAvgValueMinor: number | null;

  @Column({ name: "margin_minor", type: "bigint", transformer: bigintNumber })
  marginMinor: number;

  /** Completed orders. */
  @Column({ type: "int" })
  orders: number;

  /** x: repeat purchase days. */
  @Column({ type: "int" })
  frequency: number;

  /** t_x in days (last − first purchase day). */
  @Column({ name: "recency_days", type: "int", nullable: true })
  recencyDays: number | null;

  /** T in days (end of observation − first purchase day). */
  @Column({ name: "age_days", type: "int", nullable: true })
  ageDays: number | null;

  /** m̄: mean value of the repeat purchase days, rounded half to even. */
  @Column({
    name: "mean_repeat_value_minor",
    type: "bigint",
    nullable: true,
    transformer: bigintNumber,
  })
  meanRepeatValueMinor: number | null;

  @Column({ name: "first_purchase_at", type: DATETIME, precision: 3, nullable: true })
  firstPurchaseAt: Date | null;

  @Column({ name: "last_purchase_at", type: DATETIME, precision: 3, nullable: true })
  lastPurchaseAt: Date | null;
}
