import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from "class-validator";
import { Money } from "../../graphql/money";
import { Connection } from "../../graphql/connection";
import { ReadableWith } from "../../graphql/access";

export enum CustomerSortField {
  NAME = "NAME",
  FIRST_SEEN_AT = "FIRST_SEEN_AT",
  TOTAL_SPENT = "TOTAL_SPENT",
  ORDER_COUNT = "ORDER_COUNT",
  LAST_ORDER_AT = "LAST_ORDER_AT",
  /** CLV of the current scoring run; customers without one sort as NULLs. */
  CLV = "CLV",
  /** P(alive) of the current scoring run; customers without one sort as NULLs. */
  P_ALIVE = "P_ALIVE",
}
registerEnumType(CustomerSortField, { name: "CustomerSortField" });

export enum SortDirection {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(SortDirection, { name: "SortDirection" });

@ObjectType("Customer")
@ReadableWith("customers:read")
export class CustomerNode {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  externalId: string;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => String)
  name: string;

  @Field(() => Date, {
    description: "When the business first saw the customer (created_at of the import).",
  })
  createdAt: Date;

  @Field(() => String, { nullable: true })
  acquisitionChannel: string | null;

  @Field(() => Money, { nullable: true })
  acquisitionCost: Money | null;

  @Field(() => [String])
  tags: string[];

  @Field(() => Int, {
    nullable: true,
    description: "Net promoter score 0–10 from the latest survey.",
  })
  nps: number | null;

  @Field(() => Int, { description: "Completed orders." })
  orderCount: number;

  @Field(() => Money, { description: "Sum of completed orders." })
  totalSpent: Money;

  @Field(() => Date, { nullable: true, description: "First completed order." })
  firstOrderAt: Date | null;

  @Field(() => Date, { nullable: true, description: "Latest completed order." })
  lastOrderAt: Date | null;
}

export const CustomerConnection = Connection(CustomerNode, "Customer", {
  totalCountDescription: "Customers matching the filter, across all pages.",
});
export type CustomerConnection = InstanceType<typeof CustomerConnection>;

@InputType()
export class CustomerFilter {
  @Field(() => String, {
    nullable: true,
    description: "Matches name, email or external id (contains, case-insensitive).",
  })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  channels?: string[] | null;

  @Field(() => Date, { nullable: true, description: "First seen on or after." })
  createdFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: "First seen before." })
  createdTo?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'CLV (current scoring run) at least this decimal amount, e.g. "100.00".',
  })
  @IsOptional()
  @MaxLength(32)
  clvMin?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "CLV (current scoring run) at most this decimal amount.",
  })
  @IsOptional()
  @MaxLength(32)
  clvMax?: string | null;

  @Field(() => Float, { nullable: true, description: "P(alive) at least this, 0–1." })
  @IsOptional()
  @Min(0)
  @Max(1)
  pAliveMin?: number | null;

  @Field(() => Float, { nullable: true, description: "P(alive) at most this, 0–1." })
  @IsOptional()
  @Min(0)
  @Max(1)
  pAliveMax?: number | null;

  @Field(() => [String], { nullable: true, description: "In any of these value tiers (keys)." })
  @IsOptional()
  @ArrayMaxSize(100)
  tierKeys?: string[] | null;

  @Field(() => [String], { nullable: true, description: "In any of these RFM groups." })
  @IsOptional()
  @ArrayMaxSize(20)
  rfmGroups?: string[] | null;

  @Field(() => [String], { nullable: true, description: "In any of these lifecycle stages." })
  @IsOptional()
  @ArrayMaxSize(20)
  lifecycleStages?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Of any of these churn risks." })
  @IsOptional()
  @ArrayMaxSize(10)
  churnRisks?: string[] | null;

  @Field(() => ID, { nullable: true, description: "Members of this saved segment." })
  @IsOptional()
  segmentId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "A query in the segment language (docs/segment-language.md), ANDed with the rest.",
  })
  @IsOptional()
  @MaxLength(20_000)
  query?: string | null;
}

@InputType()
export class CustomerOrderBy {
  @Field(() => CustomerSortField)
  field: CustomerSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction: SortDirection = SortDirection.ASC;
}
