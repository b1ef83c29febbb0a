import { In, type DataSource, type SelectQueryBuilder } from "typeorm";
import { parseSegment, type Audience } from "@valuetier/domain";
import { driverOf } from "../../db/data-source";
import { compileAudience, namedParameters } from "../audiences/compile-audience";
import {
  decodeCursor,
  encodeCursor,
  keysetCondition,
  cursorOf,
  keysetPage,
  type KeysetOrder,
  type Page,
} from "../../db/keyset";
import { DomainError } from "../../errors/domain-error";
import { parseId } from "../../db/ids";
import { OrderEntity } from "../orders/order.entity";
import { CustomerValueEntity } from "../value/customer-value.entity";
import { ValueQueryService } from "../value/value-query.service";
import { valueSortedPage } from "../value/value-sorted-page";
import { CustomerEntity } from "./customer.entity";
import {
  filterConditions,
  type CustomerListFilter,
  type CustomerListOrder,
  type CustomerSortKey,
} from "./customer-list";

type NamedCondition = { sql: string; params: Record<string, string | number> };

interface SortSpec {
  /** Property path (alias c: customers, v: current customer values), rewritten to the column. */
  property: string;
  /** Cursor form of a row's sort value (`sortValue`: the raw value of a joined sort column). */
  cursorValue(row: CustomerEntity, sortValue: unknown): string | number | null;
  /** Parameter form of a cursor's sort value. */
  parameter(value: string | number): unknown;
  /** Sorts on the current scoring run's customer_values, joined as v. */
  joinsValues?: boolean;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const asDate = (value: string | number) => new Date(value);
const same = (value: string | number) => value;
const numberOrNull = (value: unknown) => (value === null ? null : Number(value));

// Each sort has an index on (column, id), so every page is an index range scan.
const SORTS: Record<CustomerSortKey, SortSpec> = {
  NAME: { property: "c.name", cursorValue: (c) => c.name, parameter: same },
  FIRST_SEEN_AT: {
    property: "c.firstSeenAt",
    cursorValue: (c) => iso(c.firstSeenAt),
    parameter: asDate,
  },
  TOTAL_SPENT: {
    property: "c.totalSpentMinor",
    cursorValue: (c) => c.totalSpentMinor,
    parameter: same,
  },
  ORDER_COUNT: {
    property: "c.orderCount",
    cursorValue: (c) => c.orderCount,
    parameter: same,
  },
  LAST_ORDER_AT: {
    property: "c.lastOrderAt",
    cursorValue: (c) => iso(c.lastOrderAt),
    parameter: asDate,
  },
  // customer_values has (run_id, clv_minor, customer_id) and (run_id, p_alive, customer_id).
  CLV: {
    property: "v.clvMinor",
    cursorValue: (_c, value) => numberOrNull(value),
    parameter: same,
    joinsValues: true,
  },
  P_ALIVE: {
    property: "v.pAlive",
    cursorValue: (_c, value) => numberOrNull(value),
    parameter: same,
    joinsValues: true,
  },
};

export const DEFAULT_CUSTOMER_ORDER: CustomerListOrder = {
  field: "FIRST_SEEN_AT",
  direction: "DESC",
};

export type CustomerLookup = {
  id?: string | null;
  externalId?: string | null;
  email?: string | null;
};

export class CustomerService {
  /** `currency`: the store currency, in which CLV filters are given. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly currency?: string,
    private readonly valueQueries = new ValueQueryService(dataSource),
  ) {}

  /**
   * Customers matching the filter's audience (alias c). `valueRunId` joins that run's customer
   * values as v (left join: customers without a value keep NULLs); undefined joins nothing.
   */
  private filtered(where: NamedCondition, valueRunId?: number): SelectQueryBuilder<CustomerEntity> {
    const qb = this.dataSource.getRepository(CustomerEntity).createQueryBuilder("c");
    if (valueRunId !== undefined) {
      qb.leftJoin(CustomerValueEntity, "v", "v.runId = :valueRunId AND v.customerId = c.id", {
        valueRunId,
      });
    }
    qb.andWhere(where.sql, where.params);
    return qb;
  }

  /**
   * The list's filter and segment-language query as one audience condition, compiled by the one
   * audience compiler.
   *
   * @throws {DomainError} INVALID_INPUT for a malformed filter value or query (with position).
   */
  private async whereOf(
    filter: CustomerListFilter | null | undefined,
    query: string | null | undefined,
  ): Promise<{ where: NamedCondition; usesValues: boolean }> {
    const conditions = filterConditions(filter, this.currency ?? "USD");
    if (query != null && query.trim() !== "") {
      const parsed = parseSegment(query, { currency: this.currency });
      if (!parsed.ok) {
        throw new DomainError("INVALID_INPUT", `query: ${parsed.error.message}`, {
          field: "query",
        });
      }
      if (parsed.audience.condition) conditions.push(parsed.audience.condition);
    }
    const audience: Audience = {
      condition: conditions.length === 0 ? null : { type: "and", conditions },
    };
    const compiled = compileAudience(audience, {
      driver: driverOf(this.dataSource),
      currency: this.currency ?? "USD",
      today: new Date().toISOString().slice(0, 10),
      segments: filter?.segmentId != null ? await this.savedSegments() : undefined,
    });
    return { where: namedParameters(compiled, "aud"), usesValues: compiled.usesValues };
  }

  /** Every saved segment's audience (a filter may name one). */
  private async savedSegments(): Promise<Map<number, Audience>> {
    const rows: { id: number; audience_json: string }[] = await this.dataSource.query(
      "SELECT id, audience_json FROM segments",
    );
    return new Map(rows.map((row) => [Number(row.id), JSON.parse(row.audience_json) as Audience]));
  }

  /** One page of customers in keyset order, with a lazily evaluated total. */
  async list(
    filter: CustomerListFilter | null | undefined,
    orderBy: CustomerListOrder | null | undefined,
    first: number,
    after: string | null | undefined,
    query?: string | null,
  ): Promise<Page<CustomerEntity> & { countTotal: () => Promise<number> }> {
    const order = orderBy ?? DEFAULT_CUSTOMER_ORDER;
    const sort = SORTS[order.field];
    const orderKey = `${order.field}:${order.direction}`;
    const { where, usesValues } = await this.whereOf(filter, query);
    // Sorting or filtering on value joins the current scoring run's values (none: run 0).
    const valueRunId =
      sort.joinsValues || usesValues ? ((await this.valueQueries.currentRunId()) ?? 0) : undefined;
    const countTotal = () => this.filtered(where, valueRunId).getCount();
    const keyset = after ? decodeCursor(after, orderKey) : null;
    const value = keyset === null || keyset.value === null ? null : sort.parameter(keyset.value);
    let found: CustomerEntity[];
    let sortValues: (number | null)[] = [];
    if (sort.joinsValues) {
      const page = await valueSortedPage({
        dataSource: this.dataSource,
        runId: valueRunId!,
        column: sort.property === "v.clvMinor" ? "clvMinor" : "pAlive",
        direction: order.direction,
        first,
        after: keyset ? { value: value as number | null, id: keyset.id } : null,
        applyFilters: (qb) => void qb.andWhere(where.sql, where.params),
      });
      const ids = page.rows.map((row) => row.id);
      const byId = new Map(
        (ids.length
          ? await this.dataSource.getRepository(CustomerEntity).findBy({ id: In(ids) })
          : []
        ).map((c) => [c.id, c]),
      );
      // A customer deleted between the two reads is left out of the page.
      const kept = page.rows.filter((row) => byId.has(row.id));
      found = kept.map((row) => byId.get(row.id)!);
      sortValues = kept.map((row) => row.value);
    } else {
      const qb = this.filtered(where, valueRunId);
      if (keyset) {
        const condition = keysetCondition(sort.property, "c.id", order.direction, value, keyset.id);
        qb.andWhere(condition.sql, condition.params);
      }
      found = await qb
        .orderBy(sort.property, order.direction)
        .addOrderBy("c.id", order.direction)
        .limit(first + 1)
        .getMany();
    }
    const rows = found.slice(0, first);
    return {
      rows,
      cursors: rows.map((row, i) =>
        encodeCursor({
          order: orderKey,
          value: sort.cursorValue(row, sortValues[i] ?? null),
          id: row.id,
        }),
      ),
      hasNextPage: found.length > first,
      countTotal,
    };
  }

  /** Finds one customer by exactly one of id, external id or email. */
  async findOne(lookup: CustomerLookup): Promise<CustomerEntity | null> {
    const given = (["id", "externalId", "email"] as const).filter((key) => lookup[key] != null);
    if (given.length !== 1) {
      throw new DomainError(
        "INVALID_INPUT",
        "customer: give exactly one of id, externalId or email",
      );
    }
    const repo = this.dataSource.getRepository(CustomerEntity);
    if (lookup.id != null) {
      return repo.findOne({ where: { id: parseId(lookup.id, "id") } });
    }
    if (lookup.externalId != null) {
      // Ids are exact, and none starts or ends with white space; MySQL would still match
      // "C1 " to "C1" (its collations ignore trailing spaces), so such an argument finds no one.
      if (lookup.externalId !== lookup.externalId.trim()) return null;
      return repo.findOne({ where: { externalId: lookup.externalId } });
    }
    return repo.findOne({ where: { email: lookup.email!.trim().toLowerCase() } });
  }

  async acquisitionChannels(): Promise<string[]> {
    const rows: { channel: string }[] = await this.dataSource
      .getRepository(CustomerEntity)
      .createQueryBuilder("c")
      .select("DISTINCT c.acquisitionChannel", "channel")
      .where("c.acquisitionChannel IS NOT NULL")
      .orderBy("channel", "ASC")
      .getRawMany();
    return rows.map((row) => row.channel);
  }

  /** A page of one customer's orders, newest first, after a cursor. */
  ordersPage(customerId: number, first: number, after: string): Promise<Page<OrderEntity>> {
    const qb = this.dataSource
      .getRepository(OrderEntity)
      .createQueryBuilder("o")
      .where("o.customerId = :customerId", { customerId });
    return keysetPage(qb, ORDERS_NEWEST_FIRST, first, after);
  }
}

/** A customer's orders, newest first (the order of Customer.orders). */
const ORDERS_NEWEST_FIRST: KeysetOrder<OrderEntity> = {
  name: "orders:placedAt:DESC",
  column: "o.placedAt",
  idColumn: "o.id",
  direction: "DESC",
  id: (order) => order.id,
  cursorValue: (order) => order.placedAt.toISOString(),
  parameter: (value) => new Date(value),
};

/** The cursor of an order in Customer.orders. */
export function orderCursor(order: OrderEntity): string {
  return cursorOf(ORDERS_NEWEST_FIRST, order);
}
