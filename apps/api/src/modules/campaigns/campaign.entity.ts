import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { bigintNumber, DATETIME } from "../../db/column-types";

/** Where a campaign is in its life; the allowed moves are in campaign-status.ts. */
export type CampaignStatus = "draft" | "scheduled" | "running" | "paused" | "ended";

/** What a campaign's budget counts: points issued, or their cost in minor units of the store currency. */
export type BudgetKind = "points" | "money";

/** What happens once the budget cannot pay for the next effect. */
export type BudgetExhaustion = "stop_offers" | "pause";

/**
 * A campaign: an audience (the one audience spec), a schedule, an offer and a budget, with a
 * share of the audience held out as control. The audience is frozen into campaign_members at
 * launch; `spent` is drawn by one conditional UPDATE per effect batch (never past `budget`).
 */
@Entity({ name: "campaigns" })
@Index("idx_campaigns_status", ["status", "id"])
export class CampaignEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  /** A slug, unique; part of every member's assignment hash, so it never changes. */
  @Index("uq_campaigns_key", { unique: true })
  @Column({ name: "campaign_key", type: "varchar", length: 64 })
  key: string;

  @Column({ type: "varchar", length: 120 })
  name: string;

  @Column({ type: "varchar", length: 16 })
  status: CampaignStatus;

  /** The audience spec as given: `{ tierKeys, segmentId, query }` (JSON). */
  @Column({ name: "audience_json", type: "text" })
  audienceJson: string;

  @Column({ name: "starts_at", type: DATETIME, precision: 3, nullable: true })
  startsAt: Date | null;

  @Column({ name: "ends_at", type: DATETIME, precision: 3, nullable: true })
  endsAt: Date | null;

  /** IANA zone the schedule was written in (shown back; instants are stored in UTC). */
  @Column({ name: "time_zone", type: "varchar", length: 64 })
  timeZone: string;

  /** `{ pointsMultiplier, bonusPoints, rewardId, coupon }` (JSON). */
  @Column({ name: "offer_json", type: "text" })
  offerJson: string;

  /** Control share in basis points of 10,000 (1,000 = 10%): the hash buckets held out. */
  @Column({ name: "control_share_bp", type: "int" })
  controlShareBp: number;

  /** Days before launch whose orders are each member's pre-period (the CUPED covariate). */
  @Column({ name: "pre_period_days", type: "int" })
  prePeriodDays: number;

  @Column({ name: "budget_kind", type: "varchar", length: 8, nullable: true })
  budgetKind: BudgetKind | null;

  /** The budget in its kind's unit (points, or minor units); null for none. */
  @Column({ type: "bigint", nullable: true, transformer: bigintNumber })
  budget: number | null;

  /** Drawn so far, in the budget's unit (points issued when there is no budget). */
  @Column({ type: "bigint", default: 0, transformer: bigintNumber })
  spent: number;

  @Column({ name: "on_budget_exhausted", type: "varchar", length: 16 })
  onBudgetExhausted: BudgetExhaustion;

  /** When an effect was first refused for want of budget. */
  @Column({ name: "budget_exhausted_at", type: DATETIME, precision: 3, nullable: true })
  budgetExhaustedAt: Date | null;

  /** Who owns it (the creator's label). */
  @Column({ type: "varchar", length: 254 })
  owner: string;

  @Column({ name: "launched_at", type: DATETIME, precision: 3, nullable: true })
  launchedAt: Date | null;

  @Column({ name: "ended_at", type: DATETIME, precision: 3, nullable: true })
  endedAt: Date | null;

  /** The scoring run current at launch (its CLV is the members' snapshot). */
  @Column({ name: "launch_run_id", type: "int", nullable: true })
  launchRunId: number | null;

  @Column({ name: "created_at", type: DATETIME, precision: 3 })
  createdAt: Date;

  @Column({ name: "updated_at", type: DATETIME, precision: 3 })
  updatedAt: Date;
}

/**
 * One customer in a launched campaign, frozen at launch (or at a later entrant's first
 * qualifying order): the group by the stable hash, and the covariates measured before joining.
 */
@Entity({ name: "campaign_members" })
@Index("idx_campaign_members_customer", ["customerId", "campaignId"])
export class CampaignMemberEntity {
  @PrimaryColumn({ name: "campaign_id", type: "int" })
  campaignId: number;

  @PrimaryColumn({ name: "customer_id", type: "int" })
  customerId: number;

  /** "T" treatment or "C" control. */
  @Column({ name: "grp", type: "varchar", length: 1 })
  group: "T" | "C";

  @Column({ name: "joined_at", type: DATETIME, precision: 3 })
  joinedAt: Date;

  /** 1 for a later entrant (joined while running, at its first qualifying order). */
  @Column({ type: "tinyint", default: 0 })
  late: number;

  /** Predicted CLV at joining, minor units (null when the customer had no score). */
  @Column({ name: "clv_minor", type: "bigint", nullable: true, transformer: bigintNumber })
  clvMinor: number | null;

  /** Completed orders' amount in the pre-period, minor units. */
  @Column({ name: "pre_spend_minor", type: "bigint", default: 0, transformer: bigintNumber })
  preSpendMinor: number;

  @Column({ name: "pre_orders", type: "int", default: 0 })
  preOrders: number;
}

/**
 * What a campaign added to one order's points: one row per (campaign, order), so that an effect
 * is recorded, and its budget drawn, exactly once.
 */
@Entity({ name: "campaign_effects" })
@Index("idx_campaign_effects_customer", ["customerId"])
export class CampaignEffectEntity {
  @PrimaryColumn({ name: "campaign_id", type: "int" })
  campaignId: number;

  @PrimaryColumn({ name: "order_id", type: "int" })
  orderId: number;

  @Column({ name: "customer_id", type: "int" })
  customerId: number;

  @Column({ name: "extra_points", type: "bigint", transformer: bigintNumber })
  extraPoints: number;

  /** What it drew from the budget, in the budget's unit. */
  @Column({ type: "bigint", transformer: bigintNumber })
  cost: number;

  @Column({ name: "created_at", type: DATETIME, precision: 3 })
  createdAt: Date;
}

/**
 * A treated member's coupon from a campaign whose offer has one: one per (campaign, customer),
 * the code unique across all campaigns, issued at launch or when a later entrant joins.
 */
@Entity({ name: "campaign_coupons" })
@Index("uq_campaign_coupons_code", ["code"], { unique: true })
@Index("idx_campaign_coupons_customer", ["customerId"])
export class CampaignCouponEntity {
  @PrimaryColumn({ name: "campaign_id", type: "int" })
  campaignId: number;

  @PrimaryColumn({ name: "customer_id", type: "int" })
  customerId: number;

  @Column({ type: "varchar", length: 96 })
  code: string;

  /** Face value in minor units of the store currency, as the offer said at issue. */
  @Column({ name: "face_value_minor", type: "bigint", transformer: bigintNumber })
  faceValueMinor: number;

  @Column({ name: "issued_at", type: DATETIME, precision: 3 })
  issuedAt: Date;

  /** When a storefront used it on an order (`useCampaignCoupon`); null while unused. */
  @Column({ name: "used_at", type: DATETIME, precision: 3, nullable: true })
  usedAt: Date | null;

  /** The order it was used on. */
  @Column({ name: "used_order_id", type: "int", nullable: true })
  usedOrderId: number | null;
}

/** Campaign-wide settings (one row, id 1): the global holdout. */
@Entity({ name: "campaign_settings" })
export class CampaignSettingsEntity {
  @PrimaryColumn({ type: "int" })
  id: number;

  /** Share of all customers kept out of every campaign, in basis points of 10,000. */
  @Column({ name: "holdout_share_bp", type: "int" })
  holdoutShareBp: number;

  /** Salt of the holdout hash; changing it draws a new holdout. */
  @Column({ name: "holdout_salt", type: "varchar", length: 64 })
  holdoutSalt: string;

  @Column({ name: "updated_by", type: "varchar", length: 254 })
  updatedBy: string;

  @Column({ name: "updated_at", type: DATETIME, precision: 3 })
  updatedAt: Date;
}

export const CAMPAIGN_ENTITIES = [
  CampaignEntity,
  CampaignMemberEntity,
  CampaignEffectEntity,
  CampaignCouponEntity,
  CampaignSettingsEntity,
];
