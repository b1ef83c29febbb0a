import type { ImportRecord } from "@valuetier/domain";
import { In } from "typeorm";
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import type { GraphQLContext } from "../../graphql/context";
import { userError, type UserError } from "../../graphql/errors";
import { CustomerEntity } from "../customers/customer.entity";
import { toCustomerNode, toOrderNode } from "../customers/customer.mapper";
import { OrderEntity } from "../orders/order.entity";
import { ImportLimitError } from "./import-errors";
import { ImportService, MAX_RECORDS_PER_CALL, type RecordsImportResult } from "./import.service";
import {
  CustomerInput,
  OrderInput,
  RecordOrdersPayload,
  UpsertCustomersPayload,
} from "./import.types";

/** GraphQL input field for each CSV column, so errors point at what the caller sent. */
const INPUT_FIELD: Record<string, string> = {
  external_id: "externalId",
  email: "email",
  name: "name",
  created_at: "createdAt",
  acquisition_channel: "acquisitionChannel",
  acquisition_cost: "acquisitionCost",
  tags: "tags",
  nps: "nps",
  customer_external_id: "customerExternalId",
  placed_at: "placedAt",
  amount: "amount",
  margin: "margin",
  currency: "currency",
  status: "status",
};

const text = (value: string | null | undefined): string => value ?? "";

/** A mutation input as the CSV record the import validates, so both paths share one set of rules. */
export function customerRecord(input: CustomerInput): ImportRecord {
  return {
    external_id: input.externalId,
    email: text(input.email),
    name: text(input.name),
    created_at: input.createdAt.toISOString(),
    acquisition_channel: text(input.acquisitionChannel),
    acquisition_cost: text(input.acquisitionCost),
    tags: (input.tags ?? []).join(";"),
    nps: input.nps === null || input.nps === undefined ? "" : String(input.nps),
  };
}

export function orderRecord(input: OrderInput): ImportRecord {
  return {
    external_id: input.externalId,
    customer_external_id: input.customerExternalId,
    placed_at: input.placedAt.toISOString(),
    amount: input.amount,
    margin: text(input.margin),
    currency: input.currency,
    status: input.status,
  };
}

function userErrorsOf(result: RecordsImportResult): UserError[] {
  return result.results.flatMap((r) =>
    r.errors.map((e) =>
      userError(
        `input.${r.index}${e.field ? "." + (INPUT_FIELD[e.field] ?? e.field) : ""}`,
        e.code,
        e.message,
      ),
    ),
  );
}

const storedIds = (result: RecordsImportResult): number[] =>
  result.results.filter((r) => r.id !== null).map((r) => r.id!);

/** Runs an import call, turning the per-call limit into a user error. */
async function withinLimit(
  call: () => Promise<RecordsImportResult>,
): Promise<RecordsImportResult | UserError> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ImportLimitError) return userError("input", error.code, error.message);
    throw error;
  }
}

@Resolver()
export class ImportResolver {
  @Mutation(() => UpsertCustomersPayload, {
    description: `Creates or updates up to ${MAX_RECORDS_PER_CALL} customers by externalId; bad items are reported, good ones kept.`,
  })
  @Allow("customers:write")
  async upsertCustomers(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => [CustomerInput]) input: CustomerInput[],
  ): Promise<UpsertCustomersPayload> {
    const service = new ImportService(ctx.dataSource, { currency: ctx.config.defaultCurrency });
    const result = await withinLimit(() =>
      service.upsertCustomers(input.map(customerRecord), actorOf(ctx)),
    );
    if ("code" in result) return { customers: [], imported: 0, unchanged: 0, userErrors: [result] };
    const ids = storedIds(result);
    const rows = ids.length
      ? await ctx.dataSource.getRepository(CustomerEntity).findBy({ id: In(ids) })
      : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return {
      customers: ids.map((id) => toCustomerNode(byId.get(id)!, ctx.config.defaultCurrency)),
      imported: result.counts.imported,
      unchanged: result.counts.unchanged,
      userErrors: userErrorsOf(result),
    };
  }

  @Mutation(() => RecordOrdersPayload, {
    description: `Records up to ${MAX_RECORDS_PER_CALL} orders by externalId for stored customers; their totals follow.`,
  })
  @Allow("orders:write")
  async recordOrders(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => [OrderInput]) input: OrderInput[],
  ): Promise<RecordOrdersPayload> {
    const service = new ImportService(ctx.dataSource, { currency: ctx.config.defaultCurrency });
    const result = await withinLimit(() =>
      service.recordOrders(input.map(orderRecord), actorOf(ctx)),
    );
    if ("code" in result) return { orders: [], imported: 0, unchanged: 0, userErrors: [result] };
    const ids = storedIds(result);
    const rows = ids.length
      ? await ctx.dataSource.getRepository(OrderEntity).findBy({ id: In(ids) })
      : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return {
      orders: ids.map((id) => toOrderNode(byId.get(id)!)),
      imported: result.counts.imported,
      unchanged: result.counts.unchanged,
      userErrors: userErrorsOf(result),
    };
  }
}
