import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { Allow } from "../../graphql/access";
import { PageArgs } from "../../graphql/connection";
import type { GraphQLContext } from "../../graphql/context";
import { OrderConnection } from "../orders/order.types";
import { toCustomerNode, toOrderNode } from "./customer.mapper";
import { CustomerService, orderCursor, type Page } from "./customer.service";
import {
  CustomerConnection,
  CustomerFilter,
  CustomerNode,
  CustomerOrderBy,
} from "./customer.types";
import type { OrderEntity } from "../orders/order.entity";

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
    const entity = await new CustomerService(ctx.dataSource).findOne({ id, externalId, email });
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
    const page = await new CustomerService(ctx.dataSource, ctx.config.defaultCurrency).list(
      filter,
      orderBy,
      first,
      after,
    );
    const connection = new CustomerConnection();
    connection.edges = page.rows.map((row, i) => ({
      cursor: page.cursors[i]!,
      node: toCustomerNode(row, ctx.config.defaultCurrency),
    }));
    connection.pageInfo = { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null };
    connection.countTotal = page.countTotal;
    return connection;
  }

  @Query(() => [String], { description: "Distinct acquisition channels, for filters." })
  @Allow("customers:read")
  acquisitionChannels(@Ctx() ctx: GraphQLContext): Promise<string[]> {
    return new CustomerService(ctx.dataSource).acquisitionChannels();
  }

  @FieldResolver(() => OrderConnection, {
    description: "Orders, newest first.",
  })
  async orders(
    @Root() customer: CustomerNode,
    @Ctx() ctx: GraphQLContext,
    @Args() { first, after }: PageArgs,
  ): Promise<OrderConnection> {
    const customerId = Number(customer.id);
    let page: Page<OrderEntity>;
    if (after) {
      page = await new CustomerService(ctx.dataSource).ordersPage(customerId, first, after);
    } else {
      const found = await ctx.loaders.latestOrders(first).load(customerId);
      const rows = found.slice(0, first);
      page = { rows, cursors: rows.map(orderCursor), hasNextPage: found.length > first };
    }
    return {
      edges: page.rows.map((row, i) => ({ cursor: page.cursors[i]!, node: toOrderNode(row) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
      totalCount: await ctx.loaders.orderCountByCustomer.load(customerId),
    };
  }
}
