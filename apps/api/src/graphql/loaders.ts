import type { Services } from "../composition";
import type { TierNode } from "../modules/tiers/tier.types";
import DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import { toSafeInteger } from "../db/column-types";
import { CustomerEntity } from "../modules/customers/customer.entity";
import { OrderEntity } from "../modules/orders/order.entity";
import { ValueQueryService, type CustomerValueRecord } from "../modules/value/value-query.service";

/**
 * Batch loaders, made per request. A page of customers with their orders costs a constant
 * number of queries whatever its size: one for the customers, one for the order counts and two
 * for the first orders of every customer on the page.
 */
export interface Loaders {
  customerById: DataLoader<number, CustomerEntity | null>;
  orderCountByCustomer: DataLoader<number, number>;
  /** The newest `first + 1` orders of each customer (the extra row tells whether there is a next page). */
  latestOrders(first: number): DataLoader<number, OrderEntity[]>;
  /** Customer.value from the current scoring run: one query per page of customers. */
  customerValue: DataLoader<number, CustomerValueRecord | null>;
  /** Members per tier in the current run: one grouped query per request. */
  tierCounts(): Promise<Map<string, number>>;
  /** The tier definitions by key: one read per request. */
  tiers(): Promise<Map<string, TierNode>>;
}

export function createLoaders(dataSource: DataSource, services?: Pick<Services, "tiers">): Loaders {
  const latestByLimit = new Map<number, DataLoader<number, OrderEntity[]>>();

  const customerById = new DataLoader<number, CustomerEntity | null>(async (ids) => {
    const rows = await dataSource.getRepository(CustomerEntity).findBy({ id: In([...ids]) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const orderCountByCustomer = new DataLoader<number, number>(async (ids) => {
    const rows: { customer_id: number | string; n: number | string }[] = await dataSource
      .getRepository(OrderEntity)
      .createQueryBuilder("o")
      .select("o.customer_id", "customer_id")
      .addSelect("COUNT(*)", "n")
      .where("o.customer_id IN (:...ids)", { ids: [...ids] })
      .groupBy("o.customer_id")
      .getRawMany();
    const byId = new Map(
      rows.map((row) => [toSafeInteger(row.customer_id), toSafeInteger(row.n) ?? 0]),
    );
    return ids.map((id) => byId.get(id) ?? 0);
  });

  function latestOrders(first: number): DataLoader<number, OrderEntity[]> {
    let loader = latestByLimit.get(first);
    if (!loader) {
      loader = new DataLoader<number, OrderEntity[]>(async (customerIds) => {
        // Window functions: MySQL 8, MariaDB 10.2+, SQLite 3.25+ and TiDB all have ROW_NUMBER().
        const placeholders = customerIds.map(() => "?").join(",");
        const idRows: { id: number | string }[] = await dataSource.query(
          `SELECT id FROM (
             SELECT id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY placed_at DESC, id DESC) AS rn
             FROM orders WHERE customer_id IN (${placeholders})
           ) ranked WHERE rn <= ?`,
          [...customerIds, first + 1],
        );
        const ids = idRows.map((row) => toSafeInteger(row.id)!);
        const orders = ids.length
          ? await dataSource.getRepository(OrderEntity).find({
              where: { id: In(ids) },
              order: { placedAt: "DESC", id: "DESC" },
            })
          : [];
        const byCustomer = new Map<number, OrderEntity[]>();
        for (const order of orders) {
          const list = byCustomer.get(order.customerId) ?? [];
          list.push(order);
          byCustomer.set(order.customerId, list);
        }
        return customerIds.map((id) => byCustomer.get(id) ?? []);
      });
      latestByLimit.set(first, loader);
    }
    return loader;
  }

  const values = new ValueQueryService(dataSource);
  const customerValue = new DataLoader<number, CustomerValueRecord | null>((ids) =>
    values.currentValues(ids),
  );

  let tierCounts: Promise<Map<string, number>> | null = null;
  let tiers: Promise<Map<string, TierNode>> | null = null;
  return {
    customerById,
    orderCountByCustomer,
    latestOrders,
    customerValue,
    tierCounts: () => {
      if (!services) throw new Error("tier counts need the tier service");
      tierCounts ??= services.tiers.counts();
      return tierCounts;
    },
    tiers: () => {
      if (!services) throw new Error("tiers need the tier service");
      tiers ??= services.tiers
        .list()
        .then(
          (list) =>
            new Map(
              list.map((t) => [
                t.key,
                { key: t.key, name: t.name, rank: t.rank, benefits: t.benefits },
              ]),
            ),
        );
      return tiers;
    },
  };
}
