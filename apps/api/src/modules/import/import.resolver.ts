import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { Allow } from "../../graphql/access";
import type { GraphQLContext } from "../../graphql/context";
import {
  CustomerInput,
  OrderInput,
  RecordOrdersPayload,
  UpsertCustomersPayload,
} from "./import.types";

@Resolver()
export class ImportResolver {
  @Mutation(() => UpsertCustomersPayload, {
    description: "Creates or updates up to 1,000 customers by externalId.",
  })
  @Allow("customers:write")
  async upsertCustomers(
    @Ctx() _ctx: GraphQLContext,
    @Arg("input", () => [CustomerInput]) _input: CustomerInput[],
  ): Promise<UpsertCustomersPayload> {
    throw new Error("WIP");
  }

  @Mutation(() => RecordOrdersPayload, { description: "Records up to 1,000 orders by externalId." })
  @Allow("orders:write")
  async recordOrders(
    @Ctx() _ctx: GraphQLContext,
    @Arg("input", () => [OrderInput]) _input: OrderInput[],
  ): Promise<RecordOrdersPayload> {
    throw new Error("WIP");
  }
}
