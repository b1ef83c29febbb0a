import { In, type DataSource, type SelectQueryBuilder } from "typeorm";
import { parseMoney } from "@valuetier/domain";
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
import { likeContains } from "../../db/sql-values";
import { OrderEntity } from "../orders/order.entity";
import { CustomerValueEntity } from "../value/customer-value.entity";
import { ValueQueryService } from "../value/value-query.service";
import { valueSortedPage } from "../value/value-sorted-page";
import { CustomerEntity } from "./customer.entity";
import type { CustomerListFilter, CustomerListOrder, CustomerSortKey } from "./customer-list";

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
   * Customers matching the filter. `valueRunId` joins that run's customer values as v (left
   * join: customers without a value keep NULLs); undefined joins nothing.
   */
  private filtered(
    filter: CustomerListFilter | null | undefined,
    valueRunId?: number,
  ): SelectQueryBuilder<CustomerEntity> {
    const qb = this.dataSource.getRepository(CustomerEntity).createQueryBuilder("c");
    if (valueRunId !== undefined) {
      qb.leftJoin(CustomerValueEntity, "v", "v.runId = :valueRunId AND v.customerId = c.id", {
        valueRunId,
      });
    }
    this.applyFilters(qb, filter, valueRunId !== undefined);
    return qb;
  }

  /** The filter's conditions on customers (alias c) and, `withValues`, on their values (v). */
  private applyFilters<T extends object>(
    qb: SelectQueryBuilder<T>,
    filter: CustomerListFilter | null | undefined,
    withValues: boolean,
  ): void {
    if (withValues) {
      const clvMin = this.moneyFilter(filter?.clvMin, "clvMin");
      const clvMax = this.moneyFilter(filter?.clvMax, "clvMax");
      if (clvMin !== null) qb.andWhere("v.clvMinor >= :clvMin", { clvMin });
      if (clvMax !== null) qb.andWhere("v.clvMinor <= :clvMax", { clvMax });
      if (filter?.pAliveMin != null) {
        qb.andWhere("v.pAlive >= :pAliveMin", { pAliveMin: filter.pAliveMin });
      }
      if (filter?.pAliveMax != null) {
        qb.andWhere("v.pAlive <= :pAliveMax", { pAliveMax: filter.pAliveMax });
      }
    }
    const search = filter?.search?.trim();
    if (search) {
      qb.andWhere(
        "(c.name LIKE :q ESCAPE '!' OR c.email LIKE :q ESCAPE '!' OR c.externalId LIKE :q ESCAPE '!')",
        {
          q: likeContains(search),
        },
      );
    }
    if (filter?.channels?.length)
      qb.andWhere("c.acquisitionChannel IN (:...channels)", { channels: filter.channels });
    if (filter?.createdFrom)
      qb.andWhere("c.firstSeenAt >= :createdFrom", { createdFrom: filter.createdFrom });
    if (filter?.createdTo)
      qb.andWhere("c.firstSeenAt < :createdTo", { createdTo: filter.createdTo });
  }

  /** A decimal CLV bound in the store currency → minor units (BAD_USER_INPUT when malformed). */
  private moneyFilter(text: string | null | undefined, field: string): number | null {
    if (text == null) return null;
    if (!this.currency) throw new Error(`filter.${field} needs the store currency`);
    const parsed = parseMoney(text, this.currency);
    if (!parsed.ok) {
      throw new DomainError("INVALID_INPUT", `filter.${field}: ${parsed.message}`, {
        field: `filter.${field}`,
      });
    }
    return parsed.minor;
  }

  /** One page of customers in keyset order, with a lazily evaluated total. */
  async list(
    filter: CustomerListFilter | null | undefined,
    orderBy: CustomerListOrder | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<CustomerEntity> & { countTotal: () => Promise<number> }> {
    const order = orderBy ?? DEFAULT_CUSTOMER_ORDER;
    const sort = SORTS[order.field];
    const orderKey = `${order.field}:${order.direction}`;
    // Sorting or filtering on value joins the current scoring run's values (none: run 0).
    const valueRunId =
      sort.joinsValues || hasValueFilter(filter)
        ? ((await this.valueQueries.currentRunId()) ?? 0)
        : undefined;
    const countTotal = () => this.filtered(filter, valueRunId).getCount();
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
        applyFilters: (qb) => this.applyFilters(qb, filter, true),
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
      const qb = this.filtered(filter, valueRunId);
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

function hasValueFilter(filter: CustomerListFilter | null | undefined): boolean {
  return (
    filter?.clvMin != null ||
    filter?.clvMax != null ||
    filter?.pAliveMin != null ||
    filter?.pAliveMax != null
  );
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
