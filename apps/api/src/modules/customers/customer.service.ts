import type { DataSource, SelectQueryBuilder } from "typeorm";
import { decodeCursor, encodeCursor, keysetCondition } from "../../graphql/connection";
import { apiError } from "../../graphql/errors";
import { likeContains } from "../../db/sql-values";
import { OrderEntity } from "../orders/order.entity";
import { CustomerEntity } from "./customer.entity";
import {
  CustomerSortField,
  SortDirection,
  type CustomerFilter,
  type CustomerOrderBy,
} from "./customer.types";

interface SortSpec {
  /** Entity property, rewritten by TypeORM to the column. */
  property: keyof CustomerEntity;
  /** Cursor form of a row's sort value. */
  cursorValue(row: CustomerEntity): string | number | null;
  /** Parameter form of a cursor's sort value. */
  parameter(value: string | number): unknown;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const asDate = (value: string | number) => new Date(value);
const same = (value: string | number) => value;

// Each sort has an index on (column, id), so every page is an index range scan.
const SORTS: Record<CustomerSortField, SortSpec> = {
  [CustomerSortField.NAME]: { property: "name", cursorValue: (c) => c.name, parameter: same },
  [CustomerSortField.FIRST_SEEN_AT]: {
    property: "firstSeenAt",
    cursorValue: (c) => iso(c.firstSeenAt),
    parameter: asDate,
  },
  [CustomerSortField.TOTAL_SPENT]: {
    property: "totalSpentMinor",
    cursorValue: (c) => c.totalSpentMinor,
    parameter: same,
  },
  [CustomerSortField.ORDER_COUNT]: {
    property: "orderCount",
    cursorValue: (c) => c.orderCount,
    parameter: same,
  },
  [CustomerSortField.LAST_ORDER_AT]: {
    property: "lastOrderAt",
    cursorValue: (c) => iso(c.lastOrderAt),
    parameter: asDate,
  },
};

export const DEFAULT_CUSTOMER_ORDER: CustomerOrderBy = {
  field: CustomerSortField.FIRST_SEEN_AT,
  direction: SortDirection.DESC,
};

export interface Page<T> {
  rows: T[];
  cursors: string[];
  hasNextPage: boolean;
}

export type CustomerLookup = {
  id?: string | null;
  externalId?: string | null;
  email?: string | null;
};

export class CustomerService {
  constructor(private readonly dataSource: DataSource) {}

  private filtered(filter: CustomerFilter | null | undefined): SelectQueryBuilder<CustomerEntity> {
    const qb = this.dataSource.getRepository(CustomerEntity).createQueryBuilder("c");
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
    return qb;
  }

  /** One page of customers in keyset order, with a lazily evaluated total. */
  async list(
    filter: CustomerFilter | null | undefined,
    orderBy: CustomerOrderBy | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<CustomerEntity> & { countTotal: () => Promise<number> }> {
    const order = orderBy ?? DEFAULT_CUSTOMER_ORDER;
    const sort = SORTS[order.field];
    const orderKey = `${order.field}:${order.direction}`;
    const qb = this.filtered(filter);
    const countTotal = () => this.filtered(filter).getCount();
    if (after) {
      const keyset = decodeCursor(after, orderKey);
      const value = keyset.value === null ? null : sort.parameter(keyset.value);
      const condition = keysetCondition(
        `c.${String(sort.property)}`,
        "c.id",
        order.direction,
        value,
        keyset.id,
      );
      qb.andWhere(condition.sql, condition.params);
    }
    qb.orderBy(`c.${String(sort.property)}`, order.direction)
      .addOrderBy("c.id", order.direction)
      .limit(first + 1);
    const found = await qb.getMany();
    const rows = found.slice(0, first);
    return {
      rows,
      cursors: rows.map((row) =>
        encodeCursor({ order: orderKey, value: sort.cursorValue(row), id: row.id }),
      ),
      hasNextPage: found.length > first,
      countTotal,
    };
  }

  /** Finds one customer by exactly one of id, external id or email. */
  async findOne(lookup: CustomerLookup): Promise<CustomerEntity | null> {
    const given = (["id", "externalId", "email"] as const).filter((key) => lookup[key] != null);
    if (given.length !== 1) {
      throw apiError("BAD_USER_INPUT", "customer: give exactly one of id, externalId or email");
    }
    const repo = this.dataSource.getRepository(CustomerEntity);
    if (lookup.id != null) {
      const id = Number(lookup.id);
      return Number.isSafeInteger(id) && id > 0 ? repo.findOne({ where: { id } }) : null;
    }
    if (lookup.externalId != null)
      return repo.findOne({ where: { externalId: lookup.externalId } });
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
  async ordersPage(customerId: number, first: number, after: string): Promise<Page<OrderEntity>> {
    const orderKey = "orders:placedAt:DESC";
    const keyset = decodeCursor(after, orderKey);
    if (keyset.value === null) throw apiError("BAD_USER_INPUT", "after: not a cursor of this list");
    const condition = keysetCondition(
      "o.placedAt",
      "o.id",
      "DESC",
      new Date(keyset.value),
      keyset.id,
    );
    const found = await this.dataSource
      .getRepository(OrderEntity)
      .createQueryBuilder("o")
      .where("o.customerId = :customerId", { customerId })
      .andWhere(condition.sql, condition.params)
      .orderBy("o.placedAt", "DESC")
      .addOrderBy("o.id", "DESC")
      .limit(first + 1)
      .getMany();
    const rows = found.slice(0, first);
    return { rows, cursors: rows.map(orderCursor), hasNextPage: found.length > first };
  }
}

export function orderCursor(order: OrderEntity): string {
  return encodeCursor({
    order: "orders:placedAt:DESC",
    value: order.placedAt.toISOString(),
    id: order.id,
  });
}
