import type { EntityManager } from "typeorm";
import { chunks, inList } from "./sql-dialect";

/** Customers per UPDATE statement. */
const CUSTOMERS_PER_STATEMENT = 1000;

// Correlated subqueries in a plain UPDATE … WHERE id IN (…): the one form both MySQL and
// SQLite run (UPDATE … JOIN and UPDATE … FROM differ between them). Each subquery is served
// by idx_orders_customer_placed. Every aggregate covers completed orders only: a refunded order
// is neither a purchase nor spend, so it counts for no order count, total, first or last order
// (the orders list still shows it).
const COMPLETED = "FROM orders o WHERE o.customer_id = customers.id AND o.status = 'completed'";
const RECOMPUTE_SQL = (n: number) =>
  "UPDATE customers SET " +
  `order_count = (SELECT COUNT(*) ${COMPLETED}), ` +
  `total_spent_minor = (SELECT COALESCE(SUM(o.amount_minor), 0) ${COMPLETED}), ` +
  `first_order_at = (SELECT MIN(o.placed_at) ${COMPLETED}), ` +
  `last_order_at = (SELECT MAX(o.placed_at) ${COMPLETED}) ` +
  `WHERE id IN (${inList(n)})`;

/**
 * Recomputes the denormalised order aggregates (order_count, total_spent_minor, first_order_at,
 * last_order_at) of the given customers from their orders, in chunks. Recomputing from the
 * orders, rather than adding increments, is what makes the import idempotent and lets a rerun
 * heal an import that was stopped half way.
 *
 * @param run runs the statements: a transaction's manager (then keep concurrency 1), or the
 *   data source's manager, whose statements autocommit on pooled connections.
 * @param customerIds the customers to update.
 * @param options.concurrency chunks in flight at once (default 1). Chunks touch disjoint
 *   customers; a chunk that hits a deadlock or lock wait timeout is run again.
 * @returns how many customers were recomputed.
 */
export async function recomputeCustomerAggregates(
  run: Pick<EntityManager, "query">,
  customerIds: Iterable<number>,
  options: { concurrency?: number } = {},
): Promise<number> {
  const ids = [...customerIds].filter((id) => id >= 0).sort((a, b) => a - b);
  const pending = chunks(ids, CUSTOMERS_PER_STATEMENT);
  const worker = async (): Promise<void> => {
    for (let part = pending.shift(); part !== undefined; part = pending.shift()) {
      for (let attempt = 1; ; attempt++) {
        try {
          await run.query(RECOMPUTE_SQL(part.length), part);
          break;
        } catch (error) {
          const errno = (error as { errno?: unknown }).errno;
          if (attempt >= 4 || (errno !== 1213 && errno !== 1205)) throw error;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  return ids.length;
}
