import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context";
import { CustomerNode } from "../customers/customer.types";
import { CustomerValueNode } from "./customer-value.types";
import { toCustomerValueNode } from "./value.mapper";

/** Customer.value, batched per request: a page of customers costs one query for values. */
@Resolver(() => CustomerNode)
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
}
