import type { ImportRecord } from "@valuetier/domain";
import { In, type FindOptionsWhere } from "typeorm";
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import type { GraphQLContext } from "../../graphql/context";
import { userError, type UserError } from "../../graphql/errors";
import { CustomerEntity } from "../customers/customer.entity";
import { toCustomerNode, toOrderNode } from "../customers/customer.mapper";
import { OrderEntity } from "../orders/order.entity";
import type { Problem } from "../../errors/domain-error";
import { payloadOf } from "../../graphql/domain-errors";
import {
  MAX_RECORDS_PER_CALL,
  type RecordResult,
  type RecordsImportResult,
} from "./import.service";
import { CustomerNode } from "../customers/customer.types";
import { OrderNode } from "../orders/order.types";
import {
  CustomerInput,
  OrderInput,
  RecordOrdersPayload,
  RecordStatus,
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

/**
 * A mutation input as the CSV record the import validates, so both paths share one set of rules.
 * A field the caller left out stays out of the record (the stored value is kept); null becomes
 * an empty value (cleared).
 */
export function customerRecord(input: CustomerInput): ImportRecord {
  const record: Record<string, string> = { external_id: input.externalId };
  const put = (column: string, value: string | null | undefined) => {
    if (value !== undefined) record[column] = value ?? "";
  };
  put("email", input.email);
  put("name", input.name);
  put(
    "created_at",
    input.createdAt === undefined ? undefined : (input.createdAt?.toISOString() ?? null),
  );
  put("acquisition_channel", input.acquisitionChannel);
  put("acquisition_cost", input.acquisitionCost);
  put("tags", input.tags === undefined ? undefined : (input.tags ?? []).join(";"));
  put("nps", input.nps === undefined ? undefined : input.nps === null ? null : String(input.nps));
  return record;
}

export function orderRecord(input: OrderInput): ImportRecord {
  return {
    external_id: input.externalId,
    customer_external_id: input.customerExternalId,
    placed_at: input.placedAt.toISOString(),
    amount: input.amount,
    margin: input.margin ?? "",
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

const STATUS: Record<RecordResult["status"], RecordStatus> = {
  created: RecordStatus.CREATED,
  updated: RecordStatus.UPDATED,
  unchanged: RecordStatus.UNCHANGED,
  rejected: RecordStatus.REJECTED,
};

/** What every write payload says: counts, each item's outcome and the user errors. */
function writeCounts(result: RecordsImportResult, inputs: readonly { externalId: string }[]) {
  return {
    imported: result.counts.imported,
    created: result.counts.created,
    updated: result.counts.updated,
    unchanged: result.counts.unchanged,
    results: result.results.map((r) => ({
      index: r.index,
      externalId: inputs[r.index]!.externalId,
      status: STATUS[r.status],
      id: r.id === null ? null : String(r.id),
    })),
    userErrors: userErrorsOf(result),
  };
}

const nothingWritten = () => ({ imported: 0, created: 0, updated: 0, unchanged: 0, results: [] });

const storedIds = (result: RecordsImportResult): number[] =>
  result.results.filter((r) => r.id !== null).map((r) => r.id!);

/**
 * The stored rows behind the committed ids, in input order. Read after the commit, so a row
 * another call changed since shows its newest state; rows are never deleted, so every id is
 * found.
 */
async function storedRows<T extends { id: number }>(
  ctx: GraphQLContext,
  entity: new () => T,
  ids: number[],
): Promise<T[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.dataSource
    .getRepository(entity)
    .findBy({ id: In(ids) } as FindOptionsWhere<T>);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
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
    const result = await payloadOf<RecordsImportResult | Problem>(
      () => ctx.services.imports.upsertCustomers(input.map(customerRecord), actorOf(ctx)),
      (problem) => problem,
    );
    if ("code" in result) return { ...nothingWritten(), storedIds: [], userErrors: [result] };
    return { ...writeCounts(result, input), storedIds: storedIds(result) };
  }

  @Mutation(() => RecordOrdersPayload, {
    description: `Records up to ${MAX_RECORDS_PER_CALL} orders by externalId for stored customers; their totals follow.`,
  })
  @Allow("orders:write")
  async recordOrders(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => [OrderInput]) input: OrderInput[],
  ): Promise<RecordOrdersPayload> {
    const result = await payloadOf<RecordsImportResult | Problem>(
      () => ctx.services.imports.recordOrders(input.map(orderRecord), actorOf(ctx)),
      (problem) => problem,
    );
    if ("code" in result) return { ...nothingWritten(), storedIds: [], userErrors: [result] };
    return { ...writeCounts(result, input), storedIds: storedIds(result) };
  }
}

/** The customers an upsertCustomers call stored, read only when asked for (and allowed). */
@Resolver(() => UpsertCustomersPayload)
export class UpsertCustomersPayloadResolver {
  @FieldResolver(() => [CustomerNode], {
    nullable: true,
    description:
      "The customers written or found unchanged, in input order. Needs customers:read, like " +
      "any read of customers.",
  })
  @Authorized("customers:read")
  async customers(
    @Root() payload: UpsertCustomersPayload,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CustomerNode[]> {
    const rows = await storedRows(ctx, CustomerEntity, payload.storedIds);
    return rows.map((row) => toCustomerNode(row, ctx.config.defaultCurrency));
  }
}

/** The orders a recordOrders call stored, read only when asked for (and allowed). */
@Resolver(() => RecordOrdersPayload)
export class RecordOrdersPayloadResolver {
  @FieldResolver(() => [OrderNode], {
    nullable: true,
    description:
      "The orders written or found unchanged, in input order. Needs customers:read, like any " +
      "read of orders.",
  })
  @Authorized("customers:read")
  async orders(
    @Root() payload: RecordOrdersPayload,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OrderNode[]> {
    return (await storedRows(ctx, OrderEntity, payload.storedIds)).map(toOrderNode);
  }
}
