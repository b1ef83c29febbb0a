import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { parseId } from "../../db/ids";
import type { Page } from "../../db/keyset";
import { Allow } from "../../graphql/access";
import { PageArgs, toConnection } from "../../graphql/connection";
import type { GraphQLContext } from "../../graphql/context";
import type { OrderEntity } from "../orders/order.entity";
import { OrderConnection } from "../orders/order.types";
import { toCustomerNode, toOrderNode } from "./customer.mapper";
import { orderCursor } from "./customer.service";
import {
  CustomerConnection,
  CustomerFilter,
  CustomerNode,
  CustomerOrderBy,
} from "./customer.types";

@Resolver(() => CustomerNode)
// Its field resolvers (Customer.orders) are fields of Customer: readable only as Customer is.
// Its queries say their own access with @Allow.
@Authorized("customers:read")
export class CustomerResolver {
  @Query(() => CustomerNode, {
    nullable: true,
    description: "One customer by exactly one of id, externalId or email.",
  })
  @Allow("customers:read")
  async customer(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID, { nullable: true }) id?: string,
    @Arg("externalId", () => String, { nullable: true }) externalId?: string,
    @Arg("email", () => String, { nullable: true }) email?: string,
  ): Promise<CustomerNode | null> {
    const entity = await ctx.services.customers.findOne({ id, externalId, email });
    return entity ? toCustomerNode(entity, ctx.config.defaultCurrency) : null;
  }

  @Query(() => CustomerConnection)
  @Allow("customers:read")
  async customers(
    @Ctx() ctx: GraphQLContext,
    @Args() { first, after }: PageArgs,
    @Arg("filter", () => CustomerFilter, { nullable: true }) filter?: CustomerFilter,
    @Arg("orderBy", () => CustomerOrderBy, { nullable: true }) orderBy?: CustomerOrderBy,
  ): Promise<CustomerConnection> {
    const { query, segmentId, ...rest } = filter ?? {};
    const page = await ctx.services.customers.list(
      { ...rest, segmentId: segmentId == null ? null : parseId(segmentId, "filter.segmentId") },
      orderBy,
      first,
      after,
      query,
    );
    return toConnection(
      CustomerConnection,
      page,
      (row) => toCustomerNode(row, ctx.config.defaultCurrency),
      page.countTotal,
    );
  }

  @Query(() => [String], { description: "Distinct acquisition channels, for filters." })
  @Allow("customers:read")
  acquisitionChannels(@Ctx() ctx: GraphQLContext): Promise<string[]> {
    return ctx.services.customers.acquisitionChannels();
  }

  @FieldResolver(() => OrderConnection, { description: "Orders, newest first." })
  async orders(
    @Root() customer: CustomerNode,
    @Ctx() ctx: GraphQLContext,
    @Args() { first, after }: PageArgs,
  ): Promise<OrderConnection> {
    const customerId = Number(customer.id);
    let page: Page<OrderEntity>;
    if (after) {
      page = await ctx.services.customers.ordersPage(customerId, first, after);
    } else {
      // The first page of every customer in a list comes from one batched query.
      const found = await ctx.loaders.latestOrders(first).load(customerId);
      const rows = found.slice(0, first);
      page = { rows, cursors: rows.map(orderCursor), hasNextPage: found.length > first };
    }
    return toConnection(OrderConnection, page, toOrderNode, () =>
      ctx.loaders.orderCountByCustomer.load(customerId),
    );
  }
}
