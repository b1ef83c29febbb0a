import { ArrayMaxSize, MaxLength } from "class-validator";
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import { UserError } from "../../graphql/errors";
import { Money } from "../../graphql/money";

export enum LedgerEntryType {
  EARN = "earn",
  ACTIVATE = "activate",
  REDEEM = "redeem",
  EXPIRE = "expire",
  REVERSE = "reverse",
  ADJUST = "adjust",
}
registerEnumType(LedgerEntryType, { name: "LedgerEntryType" });

export enum EarnBasis {
  AMOUNT = "amount",
  MARGIN = "margin",
}
registerEnumType(EarnBasis, { name: "EarnBasis" });

export enum PointsRounding {
  FLOOR = "floor",
  HALF_UP = "half_up",
}
registerEnumType(PointsRounding, { name: "PointsRounding" });

export enum CapPeriodKind {
  DAY = "day",
  MONTH = "month",
  YEAR = "year",
  ROLLING_DAYS = "rolling_days",
}
registerEnumType(CapPeriodKind, { name: "CapPeriodKind" });

export enum ExpiryKind {
  NONE = "none",
  ROLLING = "rolling",
  CALENDAR = "calendar",
}
registerEnumType(ExpiryKind, { name: "ExpiryKind" });

export enum CalendarUnit {
  MONTH = "month",
  YEAR = "year",
}
registerEnumType(CalendarUnit, { name: "CalendarUnit" });

export enum NegativeBalancePolicy {
  ALLOW_NEGATIVE = "allow_negative",
  CAP_AT_ZERO = "cap_at_zero",
}
registerEnumType(NegativeBalancePolicy, {
  name: "NegativeBalancePolicy",
  valuesConfig: {
    ALLOW_NEGATIVE: {
      description: "A refund of spent points leaves a debt the next points repay.",
    },
    CAP_AT_ZERO: { description: "A refund takes what the balance has and forgives the rest." },
  },
});

export enum LoyaltyJobKind {
  ACTIVATE = "loyalty-activate",
  EXPIRE = "loyalty-expire",
  RECONCILE = "loyalty-reconcile",
}
registerEnumType(LoyaltyJobKind, {
  name: "LoyaltyJobKind",
  valuesConfig: {
    ACTIVATE: { description: "Make pending points whose return window has ended available." },
    EXPIRE: { description: "Expire the open points of lots whose expiry has come." },
    RECONCILE: {
      description:
        "Recompute every account from its ledger and lots; reports drift, fixes nothing.",
    },
  },
});

@ObjectType({ description: "Open points that expire at one instant." })
export class ExpiringPoints {
  @Field(() => Int)
  points: number;

  @Field(() => Date)
  expiresAt: Date;
}

@ObjectType({ description: "A tier of the loyalty account." })
export class LoyaltyTier {
  @Field(() => String)
  key: string;

  @Field(() => String, { nullable: true })
  name: string | null;
}

@ObjectType({ description: "The next better tier and what it takes to reach it." })
export class NextTier {
  @Field(() => String)
  key: string;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Under a points tier policy (POINTS_THRESHOLD): the points still to earn to reach this tier (its threshold less the qualifying points: points earned in the policy's window, which redeeming does not lower). Null under any other policy.",
  })
  pointsNeeded: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Under a spend tier policy (SPEND_THRESHOLD): the spend still needed to reach this tier, a decimal amount in the store currency (e.g. "42.50"; its threshold less the completed orders in the policy\'s window). Null under any other policy.',
  })
  spendNeeded: string | null;
}

@ObjectType({ description: "A customer's points now (activation and expiry due by now counted)." })
export class LoyaltyAccount {
  customerId: number;
  tierKey: string | null;

  @Field(() => Int, { description: "available + pending = Σ open lots = Σ ledger entries." })
  balance: number;

  @Field(() => Int, { description: "Spendable points (negative while points are owed)." })
  available: number;

  @Field(() => Int, { description: "Points in their return window." })
  pending: number;

  @Field(() => Int, { description: "Points credited by earn entries (orders and bonuses)." })
  lifetimeEarned: number;

  @Field(() => Int, { description: "Points redeemed, less redemptions reversed." })
  redeemed: number;

  @Field(() => Int)
  expired: number;

  @Field(() => [ExpiringPoints], {
    description: "Open points expiring within 30 days, earliest first.",
  })
  expiringSoon: ExpiringPoints[];
}

@ObjectType({ description: "How a clawback (refund or negative adjustment) was met." })
export class Clawback {
  @Field(() => NegativeBalancePolicy)
  policy: NegativeBalancePolicy;

  @Field(() => Int)
  requested: number;

  @Field(() => Int, { description: "Taken from the lots the refunded order created." })
  fromSourceLots: number;

  @Field(() => Int, { description: "Taken from the customer's other points." })
  fromBalance: number;

  @Field(() => Int, { description: "Left as a negative balance." })
  owed: number;

  @Field(() => Int, { description: "Not taken (cap_at_zero)." })
  forgiven: number;
}

@ObjectType({ description: "Points an entry took from (negative) or gave to (positive) one lot." })
export class LotChange {
  @Field(() => Int, { description: "The lot's number within the account (0: the debt lot)." })
  lot: number;

  @Field(() => Int)
  points: number;

  @Field(() => String, { description: "What credited the lot, e.g. order:123." })
  lotSource: string;

  @Field(() => String, { description: "earn, adjust or debt." })
  lotKind: string;

  @Field(() => Date, { nullable: true })
  lotExpiresAt: Date | null;
}

@ObjectType({ description: "One appended change to a customer's points." })
export class LoyaltyLedgerEntry {
  @Field(() => ID, { description: "customerId:seq." })
  id: string;

  @Field(() => Int, { description: "1, 2, … in the order the entries were appended." })
  seq: number;

  @Field(() => LedgerEntryType)
  type: LedgerEntryType;

  @Field(() => Date)
  at: Date;

  @Field(() => Int, { description: "The change to the balance." })
  points: number;

  @Field(() => Int)
  availableChange: number;

  @Field(() => Int)
  pendingChange: number;

  @Field(() => String)
  reason: string;

  @Field(() => String, { description: "The points' source, e.g. order:123, reward:4, admin:2." })
  source: string;

  @Field(() => String, {
    description: "Who or what caused it: order, campaign, user, api_key, system.",
  })
  sourceKind: string;

  @Field(() => String, { nullable: true })
  sourceId: string | null;

  @Field(() => String, { description: "The API operation, e.g. order_earn, redeem_reward." })
  operation: string;

  @Field(() => String, { nullable: true, description: "The customer's tier when it was made." })
  tierKey: string | null;

  @Field(() => Clawback, { nullable: true })
  clawback: Clawback | null;

  @Field(() => [LotChange], { description: "Which lots it changed, by how much." })
  lots: LotChange[];
}

export const LoyaltyLedgerEntryConnection = Connection(LoyaltyLedgerEntry, "LoyaltyLedgerEntry");
export type LoyaltyLedgerEntryConnection = InstanceType<typeof LoyaltyLedgerEntryConnection>;

@ObjectType({ description: "A reward of the catalogue." })
export class Reward {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  description: string;

  @Field(() => Int)
  pointsCost: number;

  @Field(() => [String], { description: "Tiers that may redeem it; empty: every customer." })
  tierKeys: string[];

  @Field(() => Int, { nullable: true, description: "Units issued in all; null: unlimited." })
  stock: number | null;

  @Field(() => Int, { nullable: true, description: "Units left; null: unlimited." })
  remaining: number | null;

  @Field(() => Int, { nullable: true })
  perCustomerLimit: number | null;

  @Field(() => Date, { nullable: true })
  validFrom: Date | null;

  @Field(() => Date, { nullable: true, description: "Redeemable before this instant." })
  validUntil: Date | null;

  @Field(() => Boolean)
  active: boolean;

  @Field(() => String)
  couponPrefix: string;

  @Field(() => Boolean, {
    description:
      "Redeemable only by treated members of a running campaign whose offer unlocks it; hidden from everyone else's rewards(customerId:).",
  })
  campaignOnly: boolean;
}

@ObjectType({ description: "A reward redeemed by a customer." })
export class Redemption {
  rewardId: number;

  @Field(() => ID)
  id: string;

  @Field(() => ID)
  customerId: string;

  @Field(() => String, { description: "The coupon code, unique." })
  code: string;

  @Field(() => Int)
  points: number;

  @Field(() => String, { description: "redeemed or reversed." })
  status: string;

  @Field(() => Date)
  redeemedAt: Date;

  @Field(() => Date, { nullable: true })
  reversedAt: Date | null;
}

@InputType()
export class EarnPointsInput {
  @Field(() => ID)
  customerId: string;

  @Field(() => Int, { description: "Whole points, at least 1." })
  points: number;

  @Field(() => String)
  @MaxLength(500)
  reason: string;

  @Field(() => String, { description: "A repeat with the same key returns the first result." })
  @MaxLength(191)
  idempotencyKey: string;
}

@InputType()
export class AdjustPointsInput {
  @Field(() => ID)
  customerId: string;

  @Field(() => Int, { description: "Signed whole points, not 0." })
  points: number;

  @Field(() => String, { description: "Why: required, kept in the ledger and the audit log." })
  @MaxLength(500)
  reason: string;

  @Field(() => String)
  @MaxLength(191)
  idempotencyKey: string;
}

@InputType()
export class EarnBonusInput {
  @Field(() => ID)
  customerId: string;

  @Field(() => String, { description: "A bonus event of the settings, e.g. birthday." })
  @MaxLength(40)
  event: string;

  @Field(() => String)
  @MaxLength(191)
  idempotencyKey: string;
}

@InputType()
export class RedeemRewardInput {
  @Field(() => ID)
  customerId: string;

  @Field(() => ID)
  rewardId: string;

  @Field(() => String)
  @MaxLength(191)
  idempotencyKey: string;
}

@InputType()
export class ReverseRedemptionInput {
  @Field(() => ID)
  redemptionId: string;

  @Field(() => String)
  @MaxLength(500)
  reason: string;

  @Field(() => String)
  @MaxLength(191)
  idempotencyKey: string;
}

@InputType()
export class CreateRewardInput {
  @Field(() => String)
  @MaxLength(120)
  name: string;

  @Field(() => String, { nullable: true })
  @MaxLength(2000)
  description?: string | null;

  @Field(() => Int)
  pointsCost: number;

  @Field(() => [String], { nullable: true, description: "Empty or null: every customer." })
  @ArrayMaxSize(50)
  tierKeys?: string[] | null;

  @Field(() => Int, { nullable: true, description: "Null: unlimited." })
  stock?: number | null;

  @Field(() => Int, { nullable: true })
  perCustomerLimit?: number | null;

  @Field(() => Date, { nullable: true })
  validFrom?: Date | null;

  @Field(() => Date, { nullable: true })
  validUntil?: Date | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  active?: boolean | null;

  @Field(() => String, { nullable: true })
  @MaxLength(16)
  couponPrefix?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Only for customers a running campaign unlocks it for (default false).",
  })
  campaignOnly?: boolean | null;
}

@InputType({ description: "Fields left out keep their value; null clears an optional one." })
export class UpdateRewardInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @MaxLength(120)
  name?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(2000)
  description?: string | null;

  @Field(() => Int, { nullable: true })
  pointsCost?: number;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(50)
  tierKeys?: string[] | null;

  @Field(() => Int, {
    nullable: true,
    description: "Units issued in all; what is left moves by the difference.",
  })
  stock?: number | null;

  @Field(() => Int, { nullable: true })
  perCustomerLimit?: number | null;

  @Field(() => Date, { nullable: true })
  validFrom?: Date | null;

  @Field(() => Date, { nullable: true })
  validUntil?: Date | null;

  @Field(() => Boolean, { nullable: true })
  active?: boolean | null;

  @Field(() => String, { nullable: true })
  @MaxLength(16)
  couponPrefix?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Only for customers a running campaign unlocks it for (default false).",
  })
  campaignOnly?: boolean | null;
}

@ObjectType()
export class LoyaltyPointsPayload {
  @Field(() => LoyaltyLedgerEntry, {
    nullable: true,
    description: "The operation's main entry (the first one on a repeat of its key).",
  })
  entry: LoyaltyLedgerEntry | null;

  @Field(() => LoyaltyAccount, { nullable: true })
  account: LoyaltyAccount | null;

  @Field(() => Boolean, {
    description: "True when the key had been used: nothing was written now.",
  })
  replayed: boolean;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class RedemptionPayload {
  @Field(() => Redemption, { nullable: true })
  redemption: Redemption | null;

  @Field(() => LoyaltyAccount, { nullable: true })
  account: LoyaltyAccount | null;

  @Field(() => Boolean)
  replayed: boolean;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class RewardPayload {
  @Field(() => Reward, { nullable: true })
  reward: Reward | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class TierMultiplier {
  @Field(() => String)
  tier: string;

  @Field(() => String, { description: 'Decimal, e.g. "1.5".' })
  multiplier: string;
}

@InputType("TierMultiplierInput")
export class TierMultiplierInput {
  @Field(() => String)
  @MaxLength(64)
  tier: string;

  @Field(() => String)
  @MaxLength(32)
  multiplier: string;
}

@ObjectType()
export class BonusEvent {
  @Field(() => String)
  event: string;

  @Field(() => Int)
  points: number;
}

@InputType("BonusEventInput")
export class BonusEventInput {
  @Field(() => String)
  @MaxLength(40)
  event: string;

  @Field(() => Int)
  points: number;
}

@ObjectType()
export class PeriodCap {
  @Field(() => CapPeriodKind)
  period: CapPeriodKind;

  @Field(() => Int, { nullable: true, description: "ROLLING_DAYS: the window in days." })
  days: number | null;

  @Field(() => Int)
  points: number;
}

@InputType("PeriodCapInput")
export class PeriodCapInput {
  @Field(() => CapPeriodKind)
  period: CapPeriodKind;

  @Field(() => Int, { nullable: true })
  days?: number | null;

  @Field(() => Int)
  points: number;
}

@ObjectType()
export class ExpiryRule {
  @Field(() => ExpiryKind)
  kind: ExpiryKind;

  @Field(() => Int, { nullable: true, description: "ROLLING: days after earning." })
  days: number | null;

  @Field(() => CalendarUnit, { nullable: true })
  unit: CalendarUnit | null;

  @Field(() => Int, {
    nullable: true,
    description: "CALENDAR: at the end of the count-th month (year) after the one of earning.",
  })
  count: number | null;
}

@InputType("ExpiryRuleInput")
export class ExpiryRuleInput {
  @Field(() => ExpiryKind)
  kind: ExpiryKind;

  @Field(() => Int, { nullable: true })
  days?: number | null;

  @Field(() => CalendarUnit, { nullable: true })
  unit?: CalendarUnit | null;

  @Field(() => Int, { nullable: true })
  count?: number | null;
}

@ObjectType("LoyaltySettings", { description: "The programme's earning, expiry and cost rules." })
export class LoyaltySettingsNode {
  @Field(() => EarnBasis)
  earnBasis: EarnBasis;

  @Field(() => String, { description: 'Points per currency unit of the basis, e.g. "1".' })
  pointsPerUnit: string;

  @Field(() => PointsRounding)
  rounding: PointsRounding;

  @Field(() => [TierMultiplier])
  tierMultipliers: TierMultiplier[];

  @Field(() => Int, { nullable: true })
  perOrderCap: number | null;

  @Field(() => PeriodCap, { nullable: true })
  periodCap: PeriodCap | null;

  @Field(() => Int, { description: "Days a purchase's points stay pending (return window)." })
  pendingDays: number;

  @Field(() => ExpiryRule)
  expiry: ExpiryRule;

  @Field(() => NegativeBalancePolicy)
  negativeBalance: NegativeBalancePolicy;

  @Field(() => String, { description: 'What one point costs, in minor units, e.g. "0.5".' })
  costPerPointMinor: string;

  @Field(() => [BonusEvent])
  bonusEvents: BonusEvent[];
}

@InputType()
export class LoyaltySettingsInput {
  @Field(() => EarnBasis)
  earnBasis: EarnBasis;

  @Field(() => String)
  @MaxLength(32)
  pointsPerUnit: string;

  @Field(() => PointsRounding)
  rounding: PointsRounding;

  @Field(() => [TierMultiplierInput])
  @ArrayMaxSize(50)
  tierMultipliers: TierMultiplierInput[];

  @Field(() => Int, { nullable: true })
  perOrderCap?: number | null;

  @Field(() => PeriodCapInput, { nullable: true })
  periodCap?: PeriodCapInput | null;

  @Field(() => Int)
  pendingDays: number;

  @Field(() => ExpiryRuleInput)
  expiry: ExpiryRuleInput;

  @Field(() => NegativeBalancePolicy)
  negativeBalance: NegativeBalancePolicy;

  @Field(() => String)
  @MaxLength(32)
  costPerPointMinor: string;

  @Field(() => [BonusEventInput])
  @ArrayMaxSize(50)
  bonusEvents: BonusEventInput[];
}

@ObjectType()
export class LoyaltySettingsPayload {
  @Field(() => LoyaltySettingsNode, { nullable: true })
  settings: LoyaltySettingsNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType({ description: "A ratio as an exact fraction and a decimal (4 places, half up)." })
export class PointsRate {
  @Field(() => Float)
  numerator: number;

  @Field(() => Float)
  denominator: number;

  @Field(() => String)
  decimal: string;
}

@ObjectType()
export class ExpiringWindow {
  @Field(() => Int)
  days: number;

  @Field(() => Float)
  points: number;
}

@ObjectType({ description: "Points per tier and month (the tier when each entry was made)." })
export class TierMonthPoints {
  @Field(() => String, { nullable: true })
  tierKey: string | null;

  @Field(() => String, { description: "YYYY-MM (UTC)." })
  month: string;

  @Field(() => Float)
  earned: number;

  @Field(() => Float)
  redeemed: number;

  @Field(() => Float)
  expired: number;
}

@ObjectType({ description: "A tier's points over the period next to its customers' CLV." })
export class TierEconomics {
  @Field(() => String, { nullable: true })
  tierKey: string | null;

  @Field(() => Int, { description: "Customers in the tier (current scoring run)." })
  customers: number;

  @Field(() => Money, { description: "Σ CLV of the tier's customers (current scoring run)." })
  clv: Money;

  @Field(() => Float)
  earned: number;

  @Field(() => Float)
  redeemed: number;

  @Field(() => Float)
  expired: number;

  @Field(() => String, { description: "What the points earned cost, minor units (exact decimal)." })
  earnedCostMinor: string;
}

@ObjectType({ description: "What the programme costs next to the value it creates." })
export class LoyaltyEconomics {
  @Field(() => Date)
  asOf: Date;

  @Field(() => Date)
  from: Date;

  @Field(() => Date, { description: "Exclusive." })
  until: Date;

  @Field(() => String)
  costPerPointMinor: string;

  @Field(() => Float, {
    description: "Spendable points of every customer (owing customers count 0).",
  })
  availablePoints: number;

  @Field(() => Float)
  pendingPoints: number;

  @Field(() => Float, { description: "Points customers owe after clawbacks." })
  owedPoints: number;

  @Field(() => String, { description: "availablePoints × cost per point, minor units, exact." })
  liabilityMinor: string;

  @Field(() => String, { description: "The liability in currency units (exact decimal)." })
  liability: string;

  @Field(() => String)
  currency: string;

  @Field(() => [ExpiringWindow], { description: "Open points expiring within 30, 60, 90 days." })
  expiring: ExpiringWindow[];

  @Field(() => Float)
  earned: number;

  @Field(() => Float)
  redeemed: number;

  @Field(() => Float)
  expired: number;

  @Field(() => PointsRate, { nullable: true, description: "expired ÷ earned over the period." })
  breakage: PointsRate | null;

  @Field(() => PointsRate, { nullable: true, description: "redeemed ÷ earned over the period." })
  redemptionRate: PointsRate | null;

  @Field(() => [TierMonthPoints])
  byTierMonth: TierMonthPoints[];

  @Field(() => [TierEconomics])
  tiers: TierEconomics[];
}
