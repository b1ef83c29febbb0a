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

/** How customers are placed in tiers (one row, id 1): the policy and the downgrade grace. */
@Entity({ name: "tier_settings" })
export class TierSettingsEntity {
  @PrimaryColumn({ type: "int" })
  id: number;

  /** A TierPolicy of @valuetier/domain as JSON (minor units as decimal strings). */
  @Column({ name: "policy_json", type: "text" })
  policyJson: string;

  @Column({ name: "grace_days", type: "int" })
  graceDays: number;

  @Column({ name: "updated_by", type: "varchar", length: 254 })
  updatedBy: string;

  @UpdateDateColumn({ name: "updated_at", type: DATETIME })
  updatedAt: Date;
}
