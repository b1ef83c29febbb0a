import { IsOptional, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { UserError } from "../../graphql/errors";
import { OrderStatusGql } from "../orders/order.types";

@InputType({
  description:
    "A customer, as in customers.csv. Idempotent by externalId (exact: case and every character " +
    "count). A field left out keeps the stored customer's value; null (or an empty list of tags) " +
    "clears it.",
})
export class CustomerInput {
  @Field(() => String)
  externalId: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  email?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  name?: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      "When the business first saw the customer. Required to create a customer; left out, an " +
      "existing customer keeps its date.",
  })
  @IsOptional()
  createdAt?: Date | null;

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

export enum RecordStatus {
  CREATED = "created",
  UPDATED = "updated",
  UNCHANGED = "unchanged",
  REJECTED = "rejected",
}
registerEnumType(RecordStatus, {
  name: "RecordStatus",
  description: "What a call did with one input item.",
  valuesConfig: {
    CREATED: { description: "Nothing with its externalId was stored: it was created." },
    UPDATED: { description: "The stored record changed." },
    UNCHANGED: { description: "The stored record already said the same." },
    REJECTED: { description: "Nothing was written for it; see userErrors." },
  },
});

@ObjectType({
  description:
    "The outcome of one input item, in input order. Only what the caller sent and what was done " +
    "with it: reading the stored record needs customers:read (the customers/orders fields).",
})
export class RecordOutcome {
  @Field(() => Int, { description: "Position in the input, from 0." })
  index: number;

  @Field(() => String, { description: "The externalId as sent." })
  externalId: string;

  @Field(() => RecordStatus)
  status: RecordStatus;

  @Field(() => ID, { nullable: true, description: "The stored record's id; null when rejected." })
  id: string | null;
}

/** The counts every write payload carries. */
@ObjectType()
class WriteCounts {
  @Field(() => Int, { description: "Created or changed: created + updated." })
  imported: number;

  @Field(() => Int)
  created: number;

  @Field(() => Int)
  updated: number;

  @Field(() => Int)
  unchanged: number;

  @Field(() => [RecordOutcome], { description: "Every input item's outcome, in input order." })
  results: RecordOutcome[];

  @Field(() => [UserError], { description: 'One per problem, field like "input.3.email".' })
  userErrors: UserError[];
}

/**
 * `customers` is resolved by {@link UpsertCustomersPayloadResolver} from `storedIds`, and only
 * read from the database when a caller asks for it.
 */
@ObjectType()
export class UpsertCustomersPayload extends WriteCounts {
  /** Ids of the customers written or found unchanged, in input order (not in the schema). */
  storedIds: number[];
}

/** `orders` is resolved by {@link RecordOrdersPayloadResolver} from `storedIds`, when asked for. */
@ObjectType()
export class RecordOrdersPayload extends WriteCounts {
  /** Ids of the orders written or found unchanged, in input order (not in the schema). */
  storedIds: number[];
}
