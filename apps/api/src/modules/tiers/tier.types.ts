import { ArrayMaxSize, MaxLength } from "class-validator";
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { UserError } from "../../graphql/errors";

@ObjectType("Tier", { description: "A value tier: data an admin edits." })
export class TierNode {
  @Field(() => String, { description: "Stable key, e.g. high; used in filters and segments." })
  key: string;

  @Field(() => String)
  name: string;

  @Field(() => Int, { description: "1 = the best tier." })
  rank: number;

  @Field(() => String, { description: "What the tier gives, in plain words." })
  benefits: string;
}

export enum TierPolicyKind {
  CLV_PERCENTILE = "clv_percentile",
  CLV_THRESHOLD = "clv_threshold",
  SPEND_THRESHOLD = "spend_threshold",
  POINTS_THRESHOLD = "points_threshold",
  CLUSTER_RANK = "cluster_rank",
}
registerEnumType(TierPolicyKind, {
  name: "TierPolicyKind",
  valuesConfig: {
    CLV_PERCENTILE: { description: "Bands from the top of the CLV ranking (ties share a tier)." },
    CLV_THRESHOLD: { description: "The first CLV amount the customer reaches." },
    SPEND_THRESHOLD: {
      description:
        "The first spend the customer reaches: completed orders (refunded ones do not count), in the window when the policy has one.",
    },
    POINTS_THRESHOLD: {
      description:
        "The first number of loyalty points the customer reaches: points earned (orders, bonuses, credits, positive adjustments, less refunds' reversals of them), in the window when the policy has one; redeeming or expiring points does not lower them.",
    },
    CLUSTER_RANK: { description: "The rank of the customer's K-Means cluster by mean CLV." },
  },
});

@ObjectType()
export class TierBand {
  @Field(() => String)
  tier: string;

  @Field(() => Float, { description: "Percent of the ranked customers, after the bands above." })
  percent: number;
}

@ObjectType()
export class TierThreshold {
  @Field(() => String)
  tier: string;

  @Field(() => String, {
    nullable: true,
    description:
      'CLV_THRESHOLD, SPEND_THRESHOLD: decimal amount in the store currency, e.g. "500.00"; null for POINTS_THRESHOLD.',
  })
  minAmount: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "POINTS_THRESHOLD: whole points; null for the other kinds.",
  })
  minPoints: number | null;
}

@ObjectType("TierPolicy", { description: "How customers are placed in tiers." })
export class TierPolicyNode {
  @Field(() => TierPolicyKind)
  kind: TierPolicyKind;

  @Field(() => [TierBand], { description: "CLV_PERCENTILE: best tier first." })
  bands: TierBand[];

  @Field(() => [TierThreshold], {
    description: "CLV_THRESHOLD, SPEND_THRESHOLD, POINTS_THRESHOLD: best tier first.",
  })
  thresholds: TierThreshold[];

  @Field(() => Int, {
    nullable: true,
    description:
      "SPEND_THRESHOLD, POINTS_THRESHOLD: spend or points count over the rolling window of this many months (1 to 36) ending at the evaluation time; null: the customer's whole history.",
  })
  windowMonths: number | null;

  @Field(() => [String], { description: "CLUSTER_RANK: the tier of cluster rank 1, 2, …" })
  clusterTiers: string[];

  @Field(() => String, { description: "The tier of customers no band or threshold takes." })
  otherwise: string;

  @Field(() => Int, { description: "Days a lower tier must hold before a downgrade applies." })
  graceDays: number;
}

@InputType()
export class TierBandInput {
  @Field(() => String)
  @MaxLength(64)
  tier: string;

  @Field(() => Float)
  percent: number;
}

@InputType()
export class TierThresholdInput {
  @Field(() => String)
  @MaxLength(64)
  tier: string;

  @Field(() => String, {
    nullable: true,
    description: "CLV_THRESHOLD, SPEND_THRESHOLD: decimal amount in the store currency.",
  })
  @MaxLength(32)
  minAmount?: string | null;

  @Field(() => Int, { nullable: true, description: "POINTS_THRESHOLD: whole points." })
  minPoints?: number | null;
}

@InputType()
export class TierPolicyInput {
  @Field(() => TierPolicyKind)
  kind: TierPolicyKind;

  @Field(() => [TierBandInput], { nullable: true })
  @ArrayMaxSize(50)
  bands?: TierBandInput[] | null;

  @Field(() => [TierThresholdInput], { nullable: true })
  @ArrayMaxSize(50)
  thresholds?: TierThresholdInput[] | null;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(50)
  clusterTiers?: string[] | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "SPEND_THRESHOLD, POINTS_THRESHOLD: a rolling qualification window of 1 to 36 months; null or left out: the whole history.",
  })
  windowMonths?: number | null;

  @Field(() => String)
  @MaxLength(64)
  otherwise: string;

  @Field(() => Int, { description: "0 to 3650." })
  graceDays: number;
}

@InputType()
export class CreateTierInput {
  @Field(() => String)
  @MaxLength(200)
  key: string;

  @Field(() => String)
  @MaxLength(1000)
  name: string;

  @Field(() => String, { nullable: true })
  @MaxLength(5000)
  benefits?: string | null;
}

@InputType()
export class UpdateTierInput {
  @Field(() => String)
  @MaxLength(200)
  key: string;

  @Field(() => String, { nullable: true })
  @MaxLength(1000)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(5000)
  benefits?: string | null;
}

@ObjectType()
export class TierPayload {
  @Field(() => TierNode, { nullable: true })
  tier: TierNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class TiersPayload {
  @Field(() => [TierNode], { nullable: true })
  tiers: TierNode[] | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class DeleteTierPayload {
  @Field(() => String, { nullable: true })
  deletedKey: string | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class TierPolicyPayload {
  @Field(() => TierPolicyNode, { nullable: true })
  policy: TierPolicyNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class TierCountNode {
  @Field(() => String)
  key: string;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class TierBacktestRun {
  @Field(() => ID)
  runId: string;

  @Field(() => Date, { nullable: true })
  scoredAt: Date | null;

  @Field(() => Int, { description: "Customers moved to a better tier by this run." })
  upgrades: number;

  @Field(() => Int, { description: "Customers moved to a lower tier (grace applied)." })
  downgrades: number;
}

@ObjectType({ description: "What a policy would do, on the latest scoring runs." })
export class TierBacktestResult {
  @Field(() => [TierCountNode], { nullable: true, description: "Members of each tier now." })
  tiers: TierCountNode[] | null;

  @Field(() => [TierBacktestRun], { description: "Oldest run first." })
  runs: TierBacktestRun[];

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType({ description: "One rectangle of the R × FM grid that belongs to a group." })
export class RfmGroupRuleNode {
  @Field(() => String)
  group: string;

  @Field(() => Int)
  rFrom: number;

  @Field(() => Int)
  rTo: number;

  @Field(() => Int)
  fmFrom: number;

  @Field(() => Int)
  fmTo: number;
}

@InputType()
export class RfmGroupRuleInput {
  @Field(() => String)
  @MaxLength(32)
  group: string;

  @Field(() => Int)
  rFrom: number;

  @Field(() => Int)
  rTo: number;

  @Field(() => Int)
  fmFrom: number;

  @Field(() => Int)
  fmTo: number;
}

@ObjectType("LifecycleSettings", {
  description: "Thresholds of the lifecycle stage and churn risk.",
})
export class LifecycleSettingsNode {
  @Field(() => Int, {
    description: "A first order at most this many days ago makes a customer new.",
  })
  newWithinDays: number;

  @Field(() => Float, { description: "Churned when P(alive) is below this." })
  churnedPAliveBelow: number;

  @Field(() => Int, {
    description: "Without P(alive): churned after this many days without an order.",
  })
  churnedAfterDays: number;

  @Field(() => Float, { description: "Declining when P(alive) is below this…" })
  decliningPAliveBelow: number;

  @Field(() => Float, {
    description: "…or the days since the last order exceed this multiple of the mean gap.",
  })
  decliningGapMultiple: number;

  @Field(() => Int, { description: "Growing needs a first order less than this many days ago." })
  growingTenureDays: number;

  @Field(() => Float, { description: "Churn risk high when P(alive) is below this." })
  highRiskPAliveBelow: number;

  @Field(() => Float, { description: "Churn risk medium when P(alive) is below this." })
  mediumRiskPAliveBelow: number;
}

@InputType()
export class LifecycleSettingsInput {
  @Field(() => Int)
  newWithinDays: number;

  @Field(() => Float)
  churnedPAliveBelow: number;

  @Field(() => Int)
  churnedAfterDays: number;

  @Field(() => Float)
  decliningPAliveBelow: number;

  @Field(() => Float)
  decliningGapMultiple: number;

  @Field(() => Int)
  growingTenureDays: number;

  @Field(() => Float)
  highRiskPAliveBelow: number;

  @Field(() => Float)
  mediumRiskPAliveBelow: number;
}

@ObjectType("SegmentationSettings", {
  description:
    "How the scoring run groups customers besides tiers: RFM groups, lifecycle, clusters.",
})
export class SegmentationSettingsNode {
  @Field(() => [RfmGroupRuleNode], {
    description: "Every cell of the 5 × 5 grid in exactly one group.",
  })
  rfmRules: RfmGroupRuleNode[];

  @Field(() => [[String]], {
    description: "The grid the rules give: rows R = 1..5, columns FM = 1..5.",
  })
  rfmGrid: string[][];

  @Field(() => LifecycleSettingsNode)
  lifecycle: LifecycleSettingsNode;

  @Field(() => Int, { description: "K-Means clusters, 1 to 12." })
  clusters: number;
}

@InputType()
export class SegmentationSettingsInput {
  @Field(() => [RfmGroupRuleInput])
  @ArrayMaxSize(100)
  rfmRules: RfmGroupRuleInput[];

  @Field(() => LifecycleSettingsInput)
  lifecycle: LifecycleSettingsInput;

  @Field(() => Int)
  clusters: number;
}

@ObjectType()
export class SegmentationSettingsPayload {
  @Field(() => SegmentationSettingsNode, { nullable: true })
  settings: SegmentationSettingsNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}
