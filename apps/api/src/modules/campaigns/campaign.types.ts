import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from "class-validator";
import {
  ArgsType,
  Field,
  Float,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from "type-graphql";
import { MAX_PAGE_SIZE } from "../../graphql/connection";
import { UserError } from "../../graphql/errors";
import { Money } from "../../graphql/money";
import type { CampaignEntity } from "./campaign.entity";

export enum CampaignStatusGql {
  DRAFT = "draft",
  SCHEDULED = "scheduled",
  RUNNING = "running",
  PAUSED = "paused",
  ENDED = "ended",
}
registerEnumType(CampaignStatusGql, {
  name: "CampaignStatus",
  description:
    "draft → scheduled (scheduleCampaign) → running (launchCampaign, or at startsAt) ⇄ paused → ended. " +
    "Launch freezes the audience; an ended campaign is final.",
});

export enum BudgetKindGql {
  POINTS = "points",
  MONEY = "money",
}
registerEnumType(BudgetKindGql, {
  name: "CampaignBudgetKind",
  valuesConfig: {
    POINTS: { description: "Points the offer may add in all." },
    MONEY: {
      description: "What those points may cost, in the store currency (points × cost per point).",
    },
  },
});

export enum BudgetExhaustionGql {
  STOP_OFFERS = "stop_offers",
  PAUSE = "pause",
}
registerEnumType(BudgetExhaustionGql, {
  name: "CampaignBudgetExhaustion",
  valuesConfig: {
    STOP_OFFERS: {
      description: "Orders stop earning the offer; the campaign keeps running and being measured.",
    },
    PAUSE: { description: "The campaign pauses (resumeCampaign after raising the budget)." },
  },
});

export enum CampaignGroupGql {
  TREATMENT = "TREATMENT",
  CONTROL = "CONTROL",
}
registerEnumType(CampaignGroupGql, { name: "CampaignGroup" });

export enum SpendVerdictGql {
  PAYS_FOR_ITSELF = "PAYS_FOR_ITSELF",
  DOES_NOT_PAY = "DOES_NOT_PAY",
  UNCLEAR = "UNCLEAR",
}
registerEnumType(SpendVerdictGql, { name: "CampaignSpendVerdict" });

@ObjectType("CampaignAudience", {
  description: "Which customers: all of the parts given must hold; none given is everyone.",
})
export class CampaignAudienceNode {
  @Field(() => [String])
  tierKeys: string[];

  @Field(() => ID, { nullable: true })
  segmentId: string | null;

  @Field(() => String, { nullable: true, description: "A query in the segment language." })
  query: string | null;
}

@ObjectType("CampaignCoupon")
export class CampaignCouponNode {
  @Field(() => String)
  code: string;

  @Field(() => Money, { description: "Face value of each member's coupon." })
  amount: Money;
}

@ObjectType("CampaignOffer", { description: "What treated customers get while it runs." })
export class CampaignOfferNode {
  @Field(() => String, { description: 'Multiplies an order\'s points, e.g. "2" ("1": none).' })
  pointsMultiplier: string;

  @Field(() => Int, { description: "Extra points per qualifying order." })
  bonusPoints: number;

  @Field(() => ID, { nullable: true, description: "A reward unlocked for treated customers." })
  rewardId: string | null;

  @Field(() => CampaignCouponNode, { nullable: true })
  coupon: CampaignCouponNode | null;
}

@ObjectType("CampaignBudget")
export class CampaignBudgetNode {
  @Field(() => BudgetKindGql)
  kind: BudgetKindGql;

  @Field(() => String, {
    description: "Points (whole), or a decimal amount in the store currency.",
  })
  amount: string;

  @Field(() => String, { description: "Drawn so far, in the same unit." })
  spent: string;

  @Field(() => BudgetExhaustionGql)
  onExhausted: BudgetExhaustionGql;

  @Field(() => Date, {
    nullable: true,
    description: "When an effect was first refused for want of budget.",
  })
  exhaustedAt: Date | null;
}

@ObjectType("CampaignMembers", { description: "The frozen audience by group." })
export class CampaignMembersNode {
  @Field(() => Int)
  treatment: number;

  @Field(() => Int)
  control: number;
}

@ObjectType("Campaign")
export class CampaignNode {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: "Stable slug, part of every member's assignment hash." })
  key: string;

  @Field(() => String)
  name: string;

  @Field(() => CampaignStatusGql)
  status: CampaignStatusGql;

  @Field(() => CampaignOfferNode)
  offer: CampaignOfferNode;

  @Field(() => Date, { nullable: true })
  startsAt: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt: Date | null;

  @Field(() => String, { description: "IANA zone the schedule is shown in." })
  timeZone: string;

  @Field(() => Float, { description: "Share of the audience held out as control, e.g. 0.1." })
  controlShare: number;

  @Field(() => Int, { description: "Days before joining whose spend is the CUPED covariate." })
  prePeriodDays: number;

  @Field(() => Date, { nullable: true })
  launchedAt: Date | null;

  @Field(() => Date, { nullable: true })
  endedAt: Date | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;

  /** The row, for the field resolvers (not in the schema). */
  entity: CampaignEntity;
}

@ObjectType("CampaignGroupResult", { description: "One group's totals in the measurement window." })
export class CampaignGroupResultNode {
  @Field(() => Int)
  customers: number;

  @Field(() => Int, { description: "Customers who ordered in the window." })
  converted: number;

  @Field(() => Money)
  revenue: Money;

  @Field(() => Money)
  margin: Money;
}

@ObjectType("CampaignEffect", {
  description:
    "Treatment − control for one per-customer metric. `estimate`/`ci` are the fixed-horizon " +
    "figures, CUPED-adjusted when covariates were available (`unadjusted` is the plain Welch " +
    "interval); `sequentialCi` is always valid, however often it is looked at, and decides " +
    "`conclusive`. Money metrics are in currency units per customer, conversion as a rate.",
})
export class CampaignEffectNode {
  @Field(() => Float)
  estimate: number;

  @Field(() => [Float], {
    nullable: true,
    description: "[low, high] at level 1 − alpha; null while neither group varies.",
  })
  ci: number[] | null;

  @Field(() => Float)
  unadjustedEstimate: number;

  @Field(() => [Float], { nullable: true })
  unadjustedCi: number[] | null;

  @Field(() => Float, {
    nullable: true,
    description: "Welch p-value of the unadjusted difference.",
  })
  pValue: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Share of the variance CUPED removed (0.3 = 30% narrower in variance).",
  })
  varianceReduction: number | null;

  @Field(() => [Float], { nullable: true })
  sequentialCi: number[] | null;

  @Field(() => Boolean, { description: "The always-valid interval excludes 0." })
  conclusive: boolean;

  @Field(() => Float, { description: "Treatment mean." })
  treatmentMean: number;

  @Field(() => Float, { description: "Control mean." })
  controlMean: number;
}

@ObjectType("CampaignMoneyEffect", {
  description: "Incremental money across the treated customers (per-customer effect × treated).",
})
export class CampaignMoneyEffectNode {
  @Field(() => Money)
  estimate: Money;

  @Field(() => [String], { nullable: true, description: "Fixed-horizon [low, high], decimal." })
  ci: string[] | null;

  @Field(() => [String], { nullable: true, description: "Always-valid [low, high], decimal." })
  sequentialCi: string[] | null;
}

@ObjectType("CampaignCost")
export class CampaignCostNode {
  @Field(() => Int, { description: "Points the offer added to treated orders." })
  pointsAwarded: number;

  @Field(() => Money, { description: "Those points × the cost per point (loyalty settings)." })
  points: Money;

  @Field(() => Int, {
    description: "Coupons issued: one unique code per treated member (none to control).",
  })
  couponsIssued: number;

  @Field(() => Money, {
    description:
      "Face value of every coupon issued: each is a promise to the customer, and the budget draws it at issue.",
  })
  coupons: Money;

  @Field(() => Int, {
    description: "Coupons storefronts recorded as used on an order (useCampaignCoupon).",
  })
  couponsUsed: number;

  @Field(() => Money, { description: "Face value of the coupons used." })
  couponsUsedValue: Money;

  @Field(() => Money)
  total: Money;
}

@ObjectType("CampaignReturnOnSpend")
export class CampaignReturnOnSpendNode {
  @Field(() => Float, {
    nullable: true,
    description: "Incremental margin ÷ cost; null at no cost.",
  })
  ratio: number | null;

  @Field(() => [Float], { nullable: true })
  ci: number[] | null;

  @Field(() => Money, { description: "Incremental margin − cost." })
  net: Money;

  @Field(() => SpendVerdictGql)
  verdict: SpendVerdictGql;
}

@ObjectType("CampaignTimelinePoint", {
  description:
    "Revenue per customer of treatment vs control as it stood at one moment of the window " +
    "(each member's orders from joining until `at`), with the always-valid interval at that look.",
})
export class CampaignTimelinePointNode {
  @Field(() => Date)
  at: Date;

  @Field(() => Int, { description: "Treatment members who had joined by then." })
  treatment: number;

  @Field(() => Int, { description: "Control members who had joined by then." })
  control: number;

  @Field(() => Float, { description: "Treatment revenue per customer, currency units." })
  treatmentMean: number;

  @Field(() => Float, { description: "Control revenue per customer, currency units." })
  controlMean: number;

  @Field(() => Float, {
    nullable: true,
    description: "Treatment − control (CUPED-adjusted when possible); null under 2 a group.",
  })
  estimate: number | null;

  @Field(() => [Float], { nullable: true, description: "Always-valid [low, high] at that look." })
  sequentialCi: number[] | null;

  @Field(() => Boolean)
  conclusive: boolean;
}

@ObjectType("CampaignResults", {
  description:
    "Treatment vs control over the measurement window (each member's joining until the end, or now).",
})
export class CampaignResultsNode {
  @Field(() => Date)
  windowStart: Date;

  @Field(() => Date)
  windowEnd: Date;

  @Field(() => Float)
  alpha: number;

  @Field(() => CampaignGroupResultNode)
  treatment: CampaignGroupResultNode;

  @Field(() => CampaignGroupResultNode)
  control: CampaignGroupResultNode;

  @Field(() => CampaignEffectNode, {
    nullable: true,
    description: "Null under 2 customers a group.",
  })
  conversion: CampaignEffectNode | null;

  @Field(() => CampaignEffectNode, { nullable: true })
  revenuePerCustomer: CampaignEffectNode | null;

  @Field(() => CampaignEffectNode, { nullable: true })
  marginPerCustomer: CampaignEffectNode | null;

  @Field(() => CampaignMoneyEffectNode, { nullable: true })
  incrementalRevenue: CampaignMoneyEffectNode | null;

  @Field(() => CampaignMoneyEffectNode, { nullable: true })
  incrementalMargin: CampaignMoneyEffectNode | null;

  @Field(() => CampaignCostNode)
  cost: CampaignCostNode;

  @Field(() => CampaignReturnOnSpendNode, { nullable: true })
  returnOnSpend: CampaignReturnOnSpendNode | null;

  @Field(() => Boolean, {
    description: "The always-valid interval of revenue per customer excludes 0.",
  })
  conclusive: boolean;

  @Field(() => [String], { description: "Covariates CUPED used (pre_revenue, predicted_clv…)." })
  covariates: string[];

  @Field(() => CampaignEffectNode, {
    nullable: true,
    description:
      "Change in predicted CLV (currency units, latest run − at launch), treatment vs control; " +
      "null until a scoring run succeeds after the launch.",
  })
  clvChange: CampaignEffectNode | null;
}

@ObjectType("CustomerCampaign", { description: "A campaign the customer is a member of." })
export class CustomerCampaignNode {
  @Field(() => CampaignNode)
  campaign: CampaignNode;

  @Field(() => CampaignGroupGql)
  group: CampaignGroupGql;

  @Field(() => Date)
  joinedAt: Date;

  @Field(() => Boolean, { description: "Joined after launch, at a qualifying order." })
  late: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      "This customer's own coupon code from the campaign's offer (treated members only; always null for control).",
  })
  coupon: string | null;
}

@ObjectType("CampaignEffectSize", {
  description: "The smallest true effect a campaign of this size would detect (80% power).",
})
export class CampaignEffectSizeNode {
  @Field(() => Float, { description: "With one analysis at the end (Welch)." })
  fixedHorizon: number;

  @Field(() => Float, { description: "With the always-valid interval (looking any time)." })
  sequential: number;
}

@ObjectType("CampaignPlan", {
  description: "What a campaign over an audience would be if launched now.",
})
export class CampaignPlanNode {
  @Field(() => String, { description: "ISO 4217 code of the money effect sizes." })
  currency: string;

  @Field(() => Int, { nullable: true, description: "Customers in the audience now." })
  count: number | null;

  @Field(() => Int, { nullable: true })
  expectedTreatment: number | null;

  @Field(() => Int, { nullable: true, description: "Expected control size (share × eligible)." })
  expectedControl: number | null;

  @Field(() => CampaignEffectSizeNode, {
    nullable: true,
    description: "Revenue per customer, in currency units (from the pre-period's spread).",
  })
  revenuePerCustomerMde: CampaignEffectSizeNode | null;

  @Field(() => CampaignEffectSizeNode, {
    nullable: true,
    description: "Conversion rate, 0–1.",
  })
  conversionMde: CampaignEffectSizeNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType("CampaignSettings")
export class CampaignSettingsNode {
  @Field(() => Float, { description: "Share of all customers in no campaign, 0–0.5." })
  holdoutShare: number;

  @Field(() => String)
  holdoutSalt: string;

  @Field(() => Date, { nullable: true })
  updatedAt: Date | null;

  @Field(() => String, { nullable: true })
  updatedBy: string | null;
}

@InputType()
export class CampaignAudienceInput {
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  tierKeys?: string[] | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  segmentId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20_000)
  query?: string | null;
}

@InputType()
export class CampaignCouponInput {
  @Field(() => String)
  @MaxLength(100)
  code: string;

  @Field(() => String, { description: "Face value, a decimal amount in the store currency." })
  @MaxLength(40)
  amount: string;
}

@InputType()
export class CampaignOfferInput {
  @Field(() => String, { nullable: true, description: 'e.g. "2"; 1 to 100, default "1".' })
  @IsOptional()
  @MaxLength(20)
  pointsMultiplier?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  bonusPoints?: number | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(20)
  rewardId?: string | null;

  @Field(() => CampaignCouponInput, { nullable: true })
  @IsOptional()
  coupon?: CampaignCouponInput | null;
}

@InputType()
export class CampaignBudgetInput {
  @Field(() => BudgetKindGql)
  kind: BudgetKindGql;

  @Field(() => String, { description: "Whole points, or a decimal amount in the store currency." })
  @MaxLength(40)
  amount: string;

  @Field(() => BudgetExhaustionGql, { defaultValue: BudgetExhaustionGql.STOP_OFFERS })
  onExhausted: BudgetExhaustionGql;
}

@InputType()
export class CreateCampaignInput {
  @Field(() => String)
  @MaxLength(1000)
  name: string;

  @Field(() => String, {
    nullable: true,
    description: "Slug (a-z, 0-9, -); derived from the name when left out. Never changes.",
  })
  @IsOptional()
  @MaxLength(200)
  key?: string | null;

  @Field(() => CampaignAudienceInput)
  audience: CampaignAudienceInput;

  @Field(() => CampaignOfferInput)
  offer: CampaignOfferInput;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  endsAt?: Date | null;

  @Field(() => String, { nullable: true, description: "IANA zone, default UTC." })
  @IsOptional()
  @MaxLength(100)
  timeZone?: string | null;

  @Field(() => Float, { nullable: true, description: "0.01 to 0.9, default 0.1." })
  @IsOptional()
  controlShare?: number | null;

  @Field(() => CampaignBudgetInput, { nullable: true })
  @IsOptional()
  budget?: CampaignBudgetInput | null;

  @Field(() => Int, { nullable: true, description: "7 to 730, default 90." })
  @IsOptional()
  prePeriodDays?: number | null;
}

@InputType({
  description: "Fields left out keep their value; null clears startsAt, endsAt, budget.",
})
export class UpdateCampaignInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  name?: string | null;

  @Field(() => CampaignAudienceInput, { nullable: true })
  @IsOptional()
  audience?: CampaignAudienceInput | null;

  @Field(() => CampaignOfferInput, { nullable: true })
  @IsOptional()
  offer?: CampaignOfferInput | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  endsAt?: Date | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100)
  timeZone?: string | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  controlShare?: number | null;

  @Field(() => CampaignBudgetInput, { nullable: true })
  @IsOptional()
  budget?: CampaignBudgetInput | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  prePeriodDays?: number | null;
}

@InputType()
export class CampaignSettingsInput {
  @Field(() => Float, { description: "0 to 0.5 (0 turns the holdout off)." })
  holdoutShare: number;

  @Field(() => String, { nullable: true, description: "A new salt draws a new holdout." })
  @IsOptional()
  @MaxLength(100)
  holdoutSalt?: string | null;
}

@ArgsType()
export class CampaignListArgs {
  @Field(() => Int, { defaultValue: 50, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 50;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => [CampaignStatusGql], { nullable: true })
  @IsOptional()
  statuses?: CampaignStatusGql[] | null;
}

@ArgsType()
export class CustomerCampaignsArgs {
  @Field(() => Int, { defaultValue: 20, description: "Newest first, 1 to 100." })
  @Min(1)
  @Max(100)
  first: number = 20;
}

@ObjectType()
export class CampaignPayload {
  @Field(() => CampaignNode, { nullable: true })
  campaign: CampaignNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class CampaignSettingsPayload {
  @Field(() => CampaignSettingsNode, { nullable: true })
  settings: CampaignSettingsNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@InputType()
export class UseCampaignCouponInput {
  @Field(() => String, { description: "The coupon code the customer gave at checkout." })
  @MaxLength(96)
  code: string;

  @Field(() => String, {
    description: "The order it was honoured on, already recorded (recordOrders), by external id.",
  })
  @MaxLength(64)
  orderExternalId: string;
}

@ObjectType("CampaignCouponUse", { description: "A campaign coupon used on an order." })
export class CampaignCouponUseNode {
  @Field(() => String)
  code: string;

  @Field(() => ID)
  campaignId: string;

  @Field(() => Money)
  faceValue: Money;

  @Field(() => Date)
  usedAt: Date;

  @Field(() => ID, { description: "The order's id." })
  orderId: string;
}

@ObjectType()
export class UseCampaignCouponPayload {
  @Field(() => CampaignCouponUseNode, { nullable: true })
  use: CampaignCouponUseNode | null;

  @Field(() => Boolean, {
    description: "The same use was recorded before (same code, same order): nothing changed.",
  })
  replayed: boolean;

  @Field(() => [UserError])
  userErrors: UserError[];
}
