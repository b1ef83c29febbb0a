import {
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Int,
  Resolver,
  Root,
} from "type-graphql";
import { Max, Min } from "class-validator";
import type { GraphQLContext } from "../../graphql/context";
import { CustomerNode } from "../customers/customer.types";
import { TierNode } from "../tiers/tier.types";
import { CustomerValueNode } from "./customer-value.types";
import { toCustomerValueNode } from "./value.mapper";

@ArgsType()
class ValueHistoryArgs {
  @Field(() => Int, { defaultValue: 12, description: "How many runs, 1 to 100." })
  @Min(1)
  @Max(100)
  first: number = 12;
}

/** Customer.value, batched per request: a page of customers costs one query for values. */
@Resolver(() => CustomerNode)
// Fields of Customer, so readable only as Customer is (see ReadableWith).
@Authorized("customers:read")
export class CustomerValueResolver {
  @FieldResolver(() => CustomerValueNode, {
    nullable: true,
    description: "Value from the current scoring run; null before the customer was first scored.",
  })
  async value(
    @Root() customer: CustomerNode,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CustomerValueNode | null> {
    const record = await ctx.loaders.customerValue.load(Number(customer.id));
    return record ? toCustomerValueNode(record, ctx.config.defaultCurrency) : null;
  }

  @FieldResolver(() => [CustomerValueNode], {
    description:
      "This customer's value in the latest succeeded scoring runs, newest first (runs are kept for history).",
  })
  async valueHistory(
    @Root() customer: CustomerNode,
    @Ctx() ctx: GraphQLContext,
    @Args() { first }: ValueHistoryArgs,
  ): Promise<CustomerValueNode[]> {
    const records = await ctx.services.valueQueries.valueHistory(Number(customer.id), first);
    return records.map((record) => toCustomerValueNode(record, ctx.config.defaultCurrency));
  }
}

/** CustomerValue.tier: the tier's definition, from one list per request. */
@Resolver(() => CustomerValueNode)
@Authorized("customers:read")
export class CustomerValueTierResolver {
  @FieldResolver(() => TierNode, {
    nullable: true,
    description: "The customer's value tier after this run (downgrades after the grace period).",
  })
  async tier(
    @Root() value: CustomerValueNode,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TierNode | null> {
    if (value.tierKey === null) return null;
    const tiers = await ctx.loaders.tiers();
    return tiers.get(value.tierKey) ?? null;
  }
}
