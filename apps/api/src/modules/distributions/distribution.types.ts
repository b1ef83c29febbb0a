import { Field, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "Customers and CLV in one tier of the current scoring run." })
export class TierShareNode {
  @Field(() => String)
  key: string;

  @Field(() => String, { nullable: true, description: "Null for a key that is no longer a tier." })
  name: string | null;

  @Field(() => Int)
  customers: number;

  @Field(() => String, {
    description: 'Sum of the members\' CLV, decimal in the store currency, e.g. "1234.50".',
  })
  clv: string;
}

@ObjectType({
  description: "Customers in one cell of the R × FM grid (FM: mean of F and M, rounded half up).",
})
export class RfmGridCellNode {
  @Field(() => Int)
  r: number;

  @Field(() => Int)
  fm: number;

  @Field(() => Int)
  customers: number;
}

@ObjectType({
  description: "How the current scoring run's customers spread over tiers and RFM scores.",
})
export class ValueDistributionNode {
  @Field(() => ID, {
    nullable: true,
    description: "The run; null before the first successful one.",
  })
  runId: string | null;

  @Field(() => String, { description: "ISO 4217 code of every amount here." })
  currency: string;

  @Field(() => [TierShareNode], { description: "By tier rank." })
  tiers: TierShareNode[];

  @Field(() => Int, { description: "Scored customers without a tier." })
  untiered: number;

  @Field(() => [RfmGridCellNode], { description: "All 25 cells, R then FM ascending." })
  rfmGrid: RfmGridCellNode[];

  @Field(() => Int, { description: "Customers without an RFM score (no purchase yet)." })
  prospects: number;

  @Field(() => Int, { description: "Customers at high churn risk or in the declining stage." })
  atRiskCustomers: number;

  @Field(() => String, { description: "Their CLV summed, decimal in the store currency." })
  atRiskValue: string;
}

@ObjectType({
  description: "Customers that were in `from` in the earlier run and are in `to` now.",
})
export class MovementNode {
  @Field(() => String, { nullable: true, description: "Null: no value in the earlier run." })
  from: string | null;

  @Field(() => String, { nullable: true })
  to: string | null;

  @Field(() => Int)
  customers: number;
}

@ObjectType({ description: "Tier and RFM group moves between two succeeded scoring runs." })
export class TierMovementsNode {
  @Field(() => ID, { nullable: true })
  fromRunId: string | null;

  @Field(() => ID, { nullable: true })
  toRunId: string | null;

  @Field(() => [MovementNode])
  tiers: MovementNode[];

  @Field(() => [MovementNode])
  rfmGroups: MovementNode[];
}
