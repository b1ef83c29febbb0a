import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from "typeorm";
import { DATETIME } from "../../db/column-types";

/** A value tier, as data an admin edits: key, name, rank (1 = best) and benefits. */
@Entity({ name: "tiers" })
export class TierEntity {
  @PrimaryColumn({ type: "varchar", length: 64 })
  key: string;

  @Column({ type: "varchar", length: 120 })
  name: string;

  @Index("uq_tiers_rank", { unique: true })
  @Column({ type: "int" })
  rank: number;

  @Column({ type: "text" })
  benefits: string;

  @UpdateDateColumn({ name: "updated_at", type: DATETIME })
  updatedAt: Date;
}

/**
 * How the scoring run segments (one row, id 1): the tier policy and the downgrade grace, the
 * RFM group rules, the lifecycle thresholds and the number of K-Means clusters. Data an admin
 * edits, read once when a run starts.
 */
@Entity({ name: "segmentation_settings" })
export class SegmentationSettingsEntity {
  @PrimaryColumn({ type: "int" })
  id: number;

  /** A TierPolicy of @valuetier/domain as JSON (minor units as numbers). */
  @Column({ name: "policy_json", type: "text" })
  policyJson: string;

  @Column({ name: "grace_days", type: "int" })
  graceDays: number;

  /** RfmGroupRule[] as JSON. */
  @Column({ name: "rfm_rules_json", type: "text" })
  rfmRulesJson: string;

  /** LifecycleSettings as JSON. */
  @Column({ name: "lifecycle_json", type: "text" })
  lifecycleJson: string;

  @Column({ type: "int" })
  clusters: number;

  @Column({ name: "updated_by", type: "varchar", length: 254 })
  updatedBy: string;

  @UpdateDateColumn({ name: "updated_at", type: DATETIME })
  updatedAt: Date;
}
