import type { DataSource, EntityManager } from "typeorm";
import { runInTransaction } from "../../db/transaction";
import { toSafeInteger } from "../../db/column-types";
import { chunks, inList, sqlDateTime, sqlDialect } from "../../db/sql-dialect";

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
 * Runs `task` for every item, `concurrency` at a time, each in a transaction of its own (run
 * again as a whole after a deadlock or lock wait timeout).
 */
async function forEachChunkInTransaction<T>(
  dataSource: DataSource,
  parts: T[],
  concurrency: number,
  task: (manager: EntityManager, part: T) => Promise<void>,
): Promise<void> {
  const worker = async (): Promise<void> => {
    for (let part = parts.shift(); part !== undefined; part = parts.shift()) {
      const current = part;
      await runInTransaction(dataSource, (manager) => task(manager, current));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

/**
 * Recomputes the denormalised order aggregates (order_count, total_spent_minor, first_order_at,
 * last_order_at) of the given customers from their orders, in the caller's transaction.
 * Recomputing from the orders, rather than adding increments, is what makes the import
 * idempotent and lets a rerun heal an import that was stopped half way. Customers are updated in
 * id order, so that concurrent calls lock them in the same order.
 *
 * @returns how many customers were recomputed.
 */
export async function recomputeCustomerAggregates(
  manager: Pick<EntityManager, "query">,
  customerIds: Iterable<number>,
): Promise<number> {
  const ids = sortedIds(customerIds);
  for (const part of chunks(ids, CUSTOMERS_PER_STATEMENT)) {
    await manager.query(RECOMPUTE_SQL(part.length), part);
  }
  return ids.length;
}

/**
 * {@link recomputeCustomerAggregates} for many customers after a CSV import: a transaction per
 * chunk, `concurrency` chunks at a time (chunks touch disjoint customers).
 */
export async function recomputeCustomerAggregatesInChunks(
  dataSource: DataSource,
  customerIds: Iterable<number>,
  options: { concurrency?: number } = {},
): Promise<number> {
  const ids = sortedIds(customerIds);
  const concurrency = sqlDialect(dataSource).parallelWrites(options.concurrency ?? 1);
  await forEachChunkInTransaction(
    dataSource,
    chunks(ids, CUSTOMERS_PER_STATEMENT),
    concurrency,
    async (manager, part) => {
      await manager.query(RECOMPUTE_SQL(part.length), part);
    },
  );
  return ids.length;
}

function sortedIds(customerIds: Iterable<number>): number[] {
  return [...customerIds].filter((id) => id >= 0).sort((a, b) => a - b);
}

/** A customer's completed orders: how many, their sum, and the first and last order's instant. */
export interface OrderTotals {
  count: number;
  spentMinor: number;
  firstMs: number;
  lastMs: number;
}

/** Totals of no order yet, to which an order placed at `ms` is about to be added. */
export function noOrders(ms: number): OrderTotals {
  return { count: 0, spentMinor: 0, firstMs: ms, lastMs: ms };
}

/** Adds one completed order to `totals`. */
export function addOrder(totals: OrderTotals, amountMinor: number, ms: number): void {
  totals.count++;
  totals.spentMinor += amountMinor;
  if (ms < totals.firstMs) totals.firstMs = ms;
  if (ms > totals.lastMs) totals.lastMs = ms;
}

/**
 * The aggregates of customers that one CSV import both created and gave orders, summed from
 * the rows the import inserted (only committed batches may be added: a batch rolled back and
 * retried would count twice). A customer the import created had no orders before it, so while
 * nothing else writes orders for it, these are its aggregates; {@link settleNewCustomerTotals}
 * checks each created customer against them at the end.
 */
export class NewCustomerTotals {
  private readonly totals = new Map<number, OrderTotals>();

  /** Adds one newly inserted completed order. */
  addCompleted(customerId: number, amountMinor: number, placedAt: Date): void {
    const ms = placedAt.getTime();
    let totals = this.totals.get(customerId);
    if (totals === undefined) {
      totals = noOrders(ms);
      this.totals.set(customerId, totals);
    }
    addOrder(totals, amountMinor, ms);
    if (!Number.isSafeInteger(totals.spentMinor)) {
      throw new RangeError(`customer ${customerId}: total spent exceeds a safe integer`);
    }
  }

  /** The totals of one customer; undefined when the import gave it no completed order. */
  get(customerId: number): Readonly<OrderTotals> | undefined {
    return this.totals.get(customerId);
  }
}

/** A customer's aggregates as read by {@link settleNewCustomerTotals}: datetimes as text. */
interface StoredAggregates {
  id: number | string;
  order_count: number | string;
  total_spent_minor: number | string;
  first_order_at: string | null;
  last_order_at: string | null;
}

// The datetimes as text ('YYYY-MM-DD HH:MM:SS.sss' on both databases, as sqlDateTime writes
// them): comparing text spares the driver a Date per value (half the time of the check).
const STORED_AGGREGATES =
  "SELECT id, order_count, total_spent_minor, CAST(first_order_at AS CHAR) AS first_order_at, " +
  "CAST(last_order_at AS CHAR) AS last_order_at FROM customers WHERE ";

/**
 * The aggregates of the customers `ids` (ascending), and maybe of others between them. The
 * customers an import creates take consecutive ids unless other writers create customers at
 * the same time, so a range is read where it is not much wider than the list (a range scan
 * took a third of the time of the same rows by IN on MariaDB).
 */
function readAggregates(
  manager: Pick<EntityManager, "query">,
  ids: readonly number[],
): Promise<StoredAggregates[]> {
  const first = ids[0]!;
  const last = ids[ids.length - 1]!;
  return last - first < ids.length * 2
    ? manager.query(`${STORED_AGGREGATES}id BETWEEN ? AND ?`, [first, last])
    : manager.query(`${STORED_AGGREGATES}id IN (${inList(ids.length)})`, [...ids]);
}

/**
 * Whether a customer row holds `totals` (no totals: the aggregates of a customer without
 * orders). A datetime written in another form reads as a difference: the customer is then
 * recomputed, which is right in any case.
 */
function holds(row: StoredAggregates, totals: Readonly<OrderTotals> | undefined): boolean {
  if (totals === undefined) {
    return (
      Number(row.order_count) === 0 &&
      toSafeInteger(row.total_spent_minor) === 0 &&
      row.first_order_at === null &&
      row.last_order_at === null
    );
  }
  return (
    Number(row.order_count) === totals.count &&
    toSafeInteger(row.total_spent_minor) === totals.spentMinor &&
    row.first_order_at === sqlDateTime(new Date(totals.firstMs)) &&
    row.last_order_at === sqlDateTime(new Date(totals.lastMs))
  );
}

/**
 * At the end of an import that created customers: checks that each of them holds the
 * aggregates of the orders the import wrote for it ({@link NewCustomerTotals}; the customers
 * were written with a forecast of them, see `OrderTotalsForecast`), and recomputes from the
 * orders those that do not: where the forecast was wrong (rejected or duplicate orders), the
 * customer was written without it (a chunk that collided with stored customers), or another
 * writer changed its orders meanwhile. Customers in `except` are left out (the caller
 * recomputes them anyway). Reads a chunk of customers at a time, `concurrency` chunks at once.
 *
 * @returns how many of them were given aggregates (those with orders from this import, and
 *   those recomputed), and how many were recomputed.
 */
export async function settleNewCustomerTotals(
  dataSource: DataSource,
  createdIds: Iterable<number>,
  totals: NewCustomerTotals,
  except: ReadonlySet<number>,
  options: { concurrency?: number } = {},
): Promise<{ updated: number; recomputed: number }> {
  const ids = sortedIds(createdIds).filter((id) => !except.has(id));
  // Per chunk, set (not added to) by each try: a chunk's transaction may run again.
  const recomputedIn = new Map<number[], number[]>();
  const dialect = sqlDialect(dataSource);
  await forEachChunkInTransaction(
    dataSource,
    chunks(ids, CUSTOMERS_PER_STATEMENT),
    dialect.parallelWrites(options.concurrency ?? 1),
    async (manager, part) => {
      const chunk = new Set(part);
      const wrong = (await readAggregates(manager, part))
        .map((row) => ({ row, id: Number(row.id) }))
        .filter(({ row, id }) => chunk.has(id) && !holds(row, totals.get(id)))
        .map(({ id }) => id);
      if (wrong.length > 0) await manager.query(RECOMPUTE_SQL(wrong.length), wrong);
      recomputedIn.set(part, wrong);
    },
  );
  let updated = 0;
  let recomputed = 0;
  for (const id of ids) if (totals.get(id) !== undefined) updated++;
  for (const wrong of recomputedIn.values()) {
    recomputed += wrong.length;
    for (const id of wrong) if (totals.get(id) === undefined) updated++;
  }
  return { updated, recomputed };
}
