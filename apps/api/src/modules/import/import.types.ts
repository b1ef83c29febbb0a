import { IsOptional, MaxLength } from "class-validator";
import { Field, InputType, Int, ObjectType } from "type-graphql";
import { UserError } from "../../graphql/errors";
import { CustomerNode } from "../customers/customer.types";
import { OrderNode, OrderStatusGql } from "../orders/order.types";

@InputType({ description: "A customer, as in customers.csv. Idempotent by externalId." })
export class CustomerInput {
  @Field(() => String)
  externalId: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  email?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  name?: string | null;

  @Field(() => Date, { description: "When the business first saw the customer." })
  createdAt: Date;

  @Field(() => String, { nullable: true })
  @IsOptional()
  acquisitionChannel?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Decimal string in the store currency, e.g. "12.50".',
  })
  @IsOptional()
  acquisitionCost?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  tags?: string[] | null;

  @Field(() => Int, { nullable: true, description: "0–10." })
  @IsOptional()
  nps?: number | null;
}

@InputType({ description: "An order, as in orders.csv. Idempotent by externalId." })
export class OrderInput {
  @Field(() => String)
  externalId: string;

  @Field(() => String)
  customerExternalId: string;

  @Field(() => Date)
  placedAt: Date;

  @Field(() => String, { description: 'Decimal string in currency units, e.g. "59.90".' })
  @MaxLength(32)
  amount: string;

  @Field(() => String, {
    nullable: true,
    description: "Decimal string; empty means the default margin rate applies.",
  })
  @IsOptional()
  margin?: string | null;

  @Field(() => String, { description: "ISO 4217 code." })
  currency: string;

  @Field(() => OrderStatusGql)
  status: OrderStatusGql;
}

@ObjectType()
export class UpsertCustomersPayload {
  @Field(() => [CustomerNode], {
    description: "The customers written or found unchanged, in input order.",
  })
  customers: CustomerNode[];

  @Field(() => Int, { description: "Created or changed." })
  imported: number;

  @Field(() => Int)
  unchanged: number;

  @Field(() => [UserError], { description: 'One per rejected item, field like "input.3.email".' })
  userErrors: UserError[];
}

@ObjectType()
export class RecordOrdersPayload {
  @Field(() => [OrderNode])
  orders: OrderNode[];

  @Field(() => Int)
  imported: number;

  @Field(() => Int)
  unchanged: number;

  @Field(() => [UserError])
  userErrors: UserError[];
}
