import { Authorized, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context";
import { CustomerNode } from "../customers/customer.types";
import { toCustomerNode } from "../customers/customer.mapper";
import { OrderNode } from "./order.types";

@Resolver(() => OrderNode)
// Order.customer is a field of Order and returns a Customer: readable only with customers:read.
@Authorized("customers:read")
export class OrderResolver {
  @FieldResolver(() => CustomerNode)
  async customer(@Root() order: OrderNode, @Ctx() ctx: GraphQLContext): Promise<CustomerNode> {
    const customer = await ctx.loaders.customerById.load(order.customerId);
    if (!customer)
      throw new Error(`order ${order.id} refers to missing customer ${order.customerId}`);
    return toCustomerNode(customer, ctx.config.defaultCurrency);
  }
}
