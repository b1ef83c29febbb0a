import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { Money } from "../../graphql/money";
import { ValueModelGql } from "./value-enums";
import { ReadableWith } from "../../graphql/access";

@ObjectType("RfmScores", { description: "RFM scores 1–5 (5 best) and the named group." })
export class RfmScoresNode {
  @Field(() => Int)
  recency: number;

  @Field(() => Int)
  frequency: number;

  @Field(() => Int)
  monetary: number;

  @Field(() => String, { description: "CHAMPIONS, LOYAL, … (docs/segment-language.md)." })
  group: string;
}

@ObjectType("CustomerValue", {
  description: "A customer's value from the current scoring run (the latest succeeded one).",
})
@ReadableWith("customers:read")
export class CustomerValueNode {
  @Field(() => Money, {
    nullable: true,
    description:
      "CLV under the run's model; null when it cannot value the customer (e.g. no order yet).",
  })
  clv: Money | null;

  @Field(() => Money, { description: "Margin to date − CAC." })
  historicalValue: Money;

  @Field(() => Float, { nullable: true, description: "BG/NBD probability of being active, 0–1." })
  pAlive: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Expected repeat purchases (purchase days) over the horizon.",
  })
  expectedPurchases: number | null;

  @Field(() => Money, { nullable: true, description: "Gamma-Gamma expected order value." })
  expectedAverageOrderValue: Money | null;

  @Field(() => Money, { description: "Margin of the completed orders to date." })
  margin: Money;

  @Field(() => Int, { description: "Repeat purchase days (x)." })
  frequency: number;

  @Field(() => Date, { nullable: true })
  firstPurchaseAt: Date | null;

  @Field(() => Date, { nullable: true })
  lastPurchaseAt: Date | null;

  @Field(() => ValueModelGql)
  model: ValueModelGql;

  @Field(() => Int)
  horizonMonths: number;

  @Field(() => Date, { description: "When the run that computed this finished." })
  scoredAt: Date;

  @Field(() => ID)
  runId: string;

  /** Not a GraphQL field: CustomerValue.tier resolves it to the tier's definition. */
  tierKey: string | null;

  @Field(() => RfmScoresNode, {
    nullable: true,
    description: "RFM scores in this run; null for customers without a completed order.",
  })
  rfm: RfmScoresNode | null;

  @Field(() => String, {
    nullable: true,
    description: "prospect, new, growing, mature, declining or churned.",
  })
  lifecycleStage: string | null;

  @Field(() => String, { nullable: true, description: "low, medium or high; null for prospects." })
  churnRisk: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Plain words for the customer page: "lapsed", "at risk", or null.',
  })
  status: string | null;
}
