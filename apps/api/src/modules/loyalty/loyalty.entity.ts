import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from "typeorm";
import { bigintNumber, DATETIME } from "../../db/column-types";

/**
 * The loyalty programme's settings (one row, id 1): a LoyaltySettings of @valuetier/domain as
 * JSON, checked with validateLoyaltySettings before it is written.
 */
@Entity({ name: "loyalty_settings" })
export class LoyaltySettingsEntity {
  @PrimaryColumn({ type: "int" })
  id: number;

  @Column({ name: "settings_json", type: "text" })
  settingsJson: string;

  @Column({ name: "updated_by", type: "varchar", length: 254 })
  updatedBy: string;

  @UpdateDateColumn({ name: "updated_at", type: DATETIME })
  updatedAt: Date;
}

/**
 * One customer's points account: the balances cached from the ledger (the reconcile job checks
 * them against the entries and lots), the ledger's clock and the counters of lots and entries.
 * Every write takes this row FOR UPDATE first, so writes for one customer run one at a time.
 */
@Entity({ name: "loyalty_accounts" })
export class LoyaltyAccountEntity {
  @PrimaryColumn({ name: "customer_id", type: "int" })
  customerId: number;

  /** available + pending = Σ open lots = Σ entries' points. */
  @Column({ type: "bigint", default: 0, transformer: bigintNumber })
  balance: number;

  /** Open available lots, the debt lot included (negative while points are owed). */
  @Column({ type: "bigint", default: 0, transformer: bigintNumber })
  available: number;

  @Column({ type: "bigint", default: 0, transformer: bigintNumber })
  pending: number;

  /** Points credited by earn entries (orders and bonuses). */
  @Column({ name: "lifetime_earned", type: "bigint", default: 0, transformer: bigintNumber })
  lifetimeEarned: number;

  /** Points redeemed, less redemptions reversed. */
  @Column({ name: "lifetime_redeemed", type: "bigint", default: 0, transformer: bigintNumber })
  lifetimeRedeemed: number;

  @Column({ name: "lifetime_expired", type: "bigint", default: 0, transformer: bigintNumber })
  lifetimeExpired: number;

  /** The number the next lot gets (lot 0 is the debt lot). */
  @Column({ name: "next_lot", type: "int", default: 1 })
  nextLot: number;

  /** The seq the next ledger entry gets. */
  @Column({ name: "next_entry", type: "int", default: 1 })
  nextEntry: number;

  /** The ledger's clock: the latest instant an operation was applied at; never goes back. */
  @Column({ name: "last_at", type: DATETIME, precision: 3, nullable: true })
  lastAt: Date | null;

  /** Counts the writes to the account. */
  @Column({ type: "int", default: 0 })
  version: number;
}

/** Points credited together (an order, a bonus, an adjustment), consumed as one. */
@Entity({ name: "loyalty_lots" })
@Index("idx_loyalty_lots_open", ["accountId", "isOpen"])
@Index("idx_loyalty_lots_source", ["accountId", "source"])
@Index("idx_loyalty_lots_pending", ["available", "pendingUntil"])
@Index("idx_loyalty_lots_expiry", ["isOpen", "expiresAt"])
export class LoyaltyLotEntity {
  @PrimaryColumn({ name: "account_id", type: "int" })
  accountId: number;

  /** 1, 2, … per account; 0 is the debt lot. */
  @PrimaryColumn({ name: "lot_no", type: "int" })
  lotNo: number;

  /** earn | adjust | debt. */
  @Column({ type: "varchar", length: 8 })
  kind: string;

  /** What credited the lot, e.g. order:123 or bonus:birthday. */
  @Column({ type: "varchar", length: 255 })
  source: string;

  @Column({ type: "bigint", transformer: bigintNumber })
  points: number;

  @Column({ type: "bigint", transformer: bigintNumber })
  remaining: number;

  @Column({ name: "earned_at", type: DATETIME, precision: 3 })
  earnedAt: Date;

  @Column({ name: "pending_until", type: DATETIME, precision: 3 })
  pendingUntil: Date;

  @Column({ name: "expires_at", type: DATETIME, precision: 3, nullable: true })
  expiresAt: Date | null;

  @Column({ type: "tinyint" })
  available: number;

  /** 1 while the lot matters to the balance: points left (or owed) or still pending. */
  @Column({ name: "is_open", type: "tinyint" })
  isOpen: number;
}

/** One appended ledger entry; never updated or deleted. */
@Entity({ name: "loyalty_entries" })
@Index("uq_loyalty_entries_idempotency", ["accountId", "idempotencyKey"], { unique: true })
@Index("idx_loyalty_entries_source", ["accountId", "source", "type"])
@Index("idx_loyalty_entries_type_at", ["accountId", "type", "at"])
@Index("idx_loyalty_entries_at", ["at"])
export class LoyaltyEntryEntity {
  @PrimaryColumn({ name: "account_id", type: "int" })
  accountId: number;

  /** 1, 2, … per account, in the order the entries were appended. */
  @PrimaryColumn({ type: "int" })
  seq: number;

  /** earn | activate | redeem | expire | reverse | adjust. */
  @Column({ type: "varchar", length: 16 })
  type: string;

  @Column({ type: DATETIME, precision: 3 })
  at: Date;

  /** The change to the balance; Σ over the account's entries is its balance. */
  @Column({ type: "bigint", transformer: bigintNumber })
  points: number;

  @Column({ name: "available_change", type: "bigint", transformer: bigintNumber })
  availableChange: number;

  @Column({ name: "pending_change", type: "bigint", transformer: bigintNumber })
  pendingChange: number;

  @Column({ type: "varchar", length: 500 })
  reason: string;

  /** The ledger's source of the points, e.g. order:123, reward:4, admin:2, bonus:birthday. */
  @Column({ type: "varchar", length: 255 })
  source: string;

  /** Who or what caused the entry: order | campaign | user | api_key | system. */
  @Column({ name: "source_kind", type: "varchar", length: 16 })
  sourceKind: string;

  /** The order, campaign, user or API key id; the job or "cli" for system. */
  @Column({ name: "source_id", type: "varchar", length: 64, nullable: true })
  sourceId: string | null;

  /** The API operation the entry belongs to (earn_points, redeem_reward, order_earn, …). */
  @Column({ type: "varchar", length: 32 })
  operation: string;

  /** Set on the main entry of an operation called with one; unique per account. */
  @Column({ name: "idempotency_key", type: "varchar", length: 191, nullable: true })
  idempotencyKey: string | null;

  /** The customer's tier when the entry was made (economics per tier). */
  @Column({ name: "tier_key", type: "varchar", length: 64, nullable: true })
  tierKey: string | null;

  /** Activate entries: the lot made available and its open points then. */
  @Column({ name: "activated_lot", type: "int", nullable: true })
  activatedLot: number | null;

  @Column({
    name: "activated_points",
    type: "bigint",
    nullable: true,
    transformer: bigintNumber,
  })
  activatedPoints: number | null;

  /** A Clawback of the domain as JSON (reverse and negative adjust entries). */
  @Column({ name: "clawback_json", type: "text", nullable: true })
  clawbackJson: string | null;

  /** { refundedMinor, orderMinor } of a refund's reverse entry, as JSON. */
  @Column({ name: "refund_json", type: "text", nullable: true })
  refundJson: string | null;
}

/** Which lot each entry took points from or gave points to (signed). */
@Entity({ name: "loyalty_lot_changes" })
@Index("idx_loyalty_lot_changes_lot", ["accountId", "lotNo"])
export class LoyaltyLotChangeEntity {
  @PrimaryColumn({ name: "account_id", type: "int" })
  accountId: number;

  @PrimaryColumn({ name: "entry_seq", type: "int" })
  entrySeq: number;

  /** 0, 1, … within the entry (an entry may change one lot twice: credit, then repay debt). */
  @PrimaryColumn({ type: "int" })
  n: number;

  @Column({ name: "lot_no", type: "int" })
  lotNo: number;

  @Column({ type: "bigint", transformer: bigintNumber })
  points: number;
}

/** A reward of the catalogue. */
@Entity({ name: "loyalty_rewards" })
@Index("idx_loyalty_rewards_active", ["active", "id"])
export class LoyaltyRewardEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "varchar", length: 120 })
  name: string;

  @Column({ type: "text" })
  description: string;

  @Column({ name: "points_cost", type: "int" })
  pointsCost: number;

  /** JSON array of tier keys that may redeem it; NULL: every customer. */
  @Column({ name: "tier_keys", type: "text", nullable: true })
  tierKeys: string | null;

  /** Units issued in all; NULL: unlimited. */
  @Column({ type: "int", nullable: true })
  stock: number | null;

  /** Units left; taken by a conditional UPDATE … WHERE remaining > 0. */
  @Column({ type: "int", nullable: true })
  remaining: number | null;

  @Column({ name: "per_customer_limit", type: "int", nullable: true })
  perCustomerLimit: number | null;

  @Column({ name: "valid_from", type: DATETIME, precision: 3, nullable: true })
  validFrom: Date | null;

  @Column({ name: "valid_until", type: DATETIME, precision: 3, nullable: true })
  validUntil: Date | null;

  @Column({ type: "tinyint", default: 1 })
  active: number;

  /** Coupon codes of the reward start with this, e.g. SHIP-. */
  @Column({ name: "coupon_prefix", type: "varchar", length: 16, default: "" })
  couponPrefix: string;

  /**
   * 1: redeemable only while a running campaign unlocks it for the customer (a treated member);
   * nobody else may redeem it, whatever their tier.
   */
  @Column({ name: "campaign_only", type: "tinyint", default: 0 })
  campaignOnly: number;

  @CreateDateColumn({ name: "created_at", type: DATETIME })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: DATETIME })
  updatedAt: Date;
}

/** A reward redeemed by a customer, with its coupon code. */
@Entity({ name: "loyalty_redemptions" })
@Index("uq_loyalty_redemptions_code", ["code"], { unique: true })
@Index("uq_loyalty_redemptions_idempotency", ["accountId", "idempotencyKey"], { unique: true })
@Index("idx_loyalty_redemptions_reward", ["accountId", "rewardId", "status"])
export class LoyaltyRedemptionEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ name: "reward_id", type: "int" })
  rewardId: number;

  @Column({ name: "account_id", type: "int" })
  accountId: number;

  /** The redeem entry. */
  @Column({ name: "entry_seq", type: "int" })
  entrySeq: number;

  @Column({ type: "int" })
  points: number;

  @Column({ type: "varchar", length: 64 })
  code: string;

  /** redeemed | reversed. */
  @Column({ type: "varchar", length: 16 })
  status: string;

  @Column({ name: "idempotency_key", type: "varchar", length: 191, nullable: true })
  idempotencyKey: string | null;

  @Column({ name: "redeemed_at", type: DATETIME, precision: 3 })
  redeemedAt: Date;

  /** The adjust entry that gave the points back. */
  @Column({ name: "reversal_entry_seq", type: "int", nullable: true })
  reversalEntrySeq: number | null;

  @Column({ name: "reversed_at", type: DATETIME, precision: 3, nullable: true })
  reversedAt: Date | null;
}

export const LOYALTY_ENTITIES = [
  LoyaltySettingsEntity,
  LoyaltyAccountEntity,
  LoyaltyLotEntity,
  LoyaltyEntryEntity,
  LoyaltyLotChangeEntity,
  LoyaltyRewardEntity,
  LoyaltyRedemptionEntity,
];
