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
@Index("idx_customer_values_tier", ["runId", "tierKey", "customerId"])
@Index("idx_customer_values_rfm_group", ["runId", "rfmGroup", "customerId"])
@Index("idx_customer_values_lifecycle", ["runId", "lifecycleStage", "customerId"])
@Index("idx_customer_values_churn_risk", ["runId", "churnRisk", "customerId"])
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

  /** The customer's value tier after this run (grace applied); NULL when tiers are not set. */
  @Column({ name: "tier_key", type: "varchar", length: 64, nullable: true })
  tierKey: string | null;

  /**
   * The tier state the next run continues from: since when the customer holds the tier, since
   * when runs have computed a lower one (the grace period counts from there) and which.
   */
  @Column({ name: "tier_since", type: DATETIME, precision: 3, nullable: true })
  tierSince: Date | null;

  @Column({ name: "tier_below_since", type: DATETIME, precision: 3, nullable: true })
  tierBelowSince: Date | null;

  @Column({ name: "tier_pending", type: "varchar", length: 64, nullable: true })
  tierPending: string | null;

  /** RFM scores 1–5; NULL for customers without a completed order (PROSPECTS). */
  @Column({ name: "rfm_r", type: "smallint", nullable: true })
  rfmR: number | null;

  @Column({ name: "rfm_f", type: "smallint", nullable: true })
  rfmF: number | null;

  @Column({ name: "rfm_m", type: "smallint", nullable: true })
  rfmM: number | null;

  /** The named RFM group (CHAMPIONS … PROSPECTS). */
  @Column({ name: "rfm_group", type: "varchar", length: 32, nullable: true })
  rfmGroup: string | null;

  /** prospect, new, growing, mature, declining or churned. */
  @Column({ name: "lifecycle_stage", type: "varchar", length: 16, nullable: true })
  lifecycleStage: string | null;

  /** low, medium or high. */
  @Column({ name: "churn_risk", type: "varchar", length: 8, nullable: true })
  churnRisk: string | null;

  /** K-Means cluster, ranked by mean CLV (0 = highest). */
  @Column({ name: "cluster", type: "smallint", nullable: true })
  cluster: number | null;
}
