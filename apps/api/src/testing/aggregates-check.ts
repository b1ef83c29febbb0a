import type { DataSource } from "typeorm";

/** What {@link checkCustomerAggregates} found. */
export interface AggregatesCheck {
  customers: number;
  /** Customers whose aggregates equal those their completed orders give. */
  right: number;
  /** Customers with at least one order counted. */
  withOrders: number;
}

/**
 * Compares every customer's stored aggregates (order count, total spent, first and last order)
 * with a recompute from its completed orders (MySQL), for tests and benchmarks of the writers
 * that keep them.
 */
export async function checkCustomerAggregates(dataSource: DataSource): Promise<AggregatesCheck> {
  const [row] = (await dataSource.query(
    `SELECT COUNT(*) AS customers,
            SUM(c.order_count = COALESCE(a.n, 0) AND c.total_spent_minor = COALESCE(a.spent, 0)
                AND c.first_order_at <=> a.first_at AND c.last_order_at <=> a.last_at) AS same,
            SUM(c.order_count > 0) AS with_orders
       FROM customers c
       LEFT JOIN (SELECT customer_id, COUNT(*) AS n, SUM(amount_minor) AS spent,
                         MIN(placed_at) AS first_at, MAX(placed_at) AS last_at
                    FROM orders WHERE status = 'completed' GROUP BY customer_id) a
         ON a.customer_id = c.id`,
  )) as { customers: unknown; same: unknown; with_orders: unknown }[];
  return {
    customers: Number(row!.customers),
    right: Number(row!.same ?? 0),
    withOrders: Number(row!.with_orders ?? 0),
  };
}
