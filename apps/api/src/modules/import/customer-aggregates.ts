import type { DataSource, EntityManager } from "typeorm";
import { runInTransaction } from "../../db/transaction";
import {
  chunks,
  inList,
  sqlDateTime,
  sqlDialect,
  type SqlDialect,
  type SqlFragment,
  type SqlValue,
} from "../../db/sql-dialect";

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

/** The completed orders an import inserted for one customer. */
interface Totals {
  count: number;
  spentMinor: number;
  firstMs: number;
  lastMs: number;
  /** How many batches had committed when the last of these orders was added. */
  lastBatch: number;
  /** Written to the customer already, while the orders were still being imported. */
  written: boolean;
}

/**
 * Committed batches after its last order before a customer's totals count as settled: batches
 * commit nearly in file order (two at a time), so a customer whose orders are grouped in the
 * file gets no more orders by then.
 */
const SETTLED_AFTER_BATCHES = 3;

/**
 * The aggregates of customers that one CSV import both created and gave orders, summed from
 * the rows the import inserted, so that they need not be recomputed from the orders table.
 *
 * This holds only while nothing else wrote orders for such a customer: it did not exist before
 * the import, and every order the import wrote for it was new (an order that already existed,
 * or moved from another customer, makes the importer mark the customer for a full recompute
 * instead). {@link applyNewCustomerTotals} checks that no other writer has set the customer's
 * aggregates in the meantime, and recomputes from the orders where one has.
 *
 * Customers whose orders are over before the file is (orders grouped by customer, as exports
 * usually are) can be written while the import still runs ({@link EarlyTotalsWriter}): a
 * customer that gets another order after its totals were written is {@link rewritten} and
 * must then be recomputed from the orders at the end.
 *
 * Only committed batches may be added (a batch rolled back and retried would count twice).
 */
export class NewCustomerTotals {
  private readonly totals = new Map<number, Totals>();
  /** Customers with totals not written yet, in the order of their first order. */
  private readonly queue: number[] = [];
  private head = 0;
  private batches = 0;
  /** Customers written early that got more orders afterwards: to be recomputed. */
  readonly rewritten = new Set<number>();
  /** Customers written early. */
  private early = 0;

  /** Adds one newly inserted completed order. */
  addCompleted(customerId: number, amountMinor: number, placedAt: Date): void {
    const ms = placedAt.getTime();
    const totals = this.totals.get(customerId);
    if (totals === undefined) {
      this.totals.set(customerId, {
        count: 1,
        spentMinor: amountMinor,
        firstMs: ms,
        lastMs: ms,
        lastBatch: this.batches,
        written: false,
      });
      this.queue.push(customerId);
      return;
    }
    totals.count++;
    totals.spentMinor += amountMinor;
    if (!Number.isSafeInteger(totals.spentMinor)) {
      throw new RangeError(`customer ${customerId}: total spent exceeds a safe integer`);
    }
    if (ms < totals.firstMs) totals.firstMs = ms;
    if (ms > totals.lastMs) totals.lastMs = ms;
    totals.lastBatch = this.batches;
    if (totals.written) this.rewritten.add(customerId);
  }

  /** Called once per committed batch, after its orders were added. */
  batchCommitted(): void {
    this.batches++;
  }

  /** The customers with totals. */
  customerIds(): IterableIterator<number> {
    return this.totals.keys();
  }

  /** [customer id, totals] in id order, leaving out `except` and those written early. */
  entries(except: ReadonlySet<number>): [number, Totals][] {
    return [...this.totals]
      .filter(([id, t]) => !t.written && !except.has(id))
      .sort((a, b) => a[0] - b[0]);
  }

  /** How many customers were written early, leaving out `except`. */
  writtenCount(except: ReadonlySet<number>): number {
    let written = 0;
    for (const [id, t] of this.totals) if (t.written && !except.has(id)) written++;
    return written;
  }

  /**
   * Up to `size` customers, none in `except`, whose totals have not changed for
   * {@link SETTLED_AFTER_BATCHES} committed batches, taken in the order of their first order
   * and marked written; null while fewer than `size` are settled, and for good once
   * customers written early keep getting orders (a file not grouped by customer).
   */
  takeSettled(size: number, except: ReadonlySet<number>): [number, Totals][] | null {
    if (this.rewritten.size > Math.max(100, this.early / 10)) return null;
    const settled = this.batches - SETTLED_AFTER_BATCHES;
    let end = this.head;
    let found = 0;
    while (found < size && end < this.queue.length) {
      const id = this.queue[end]!;
      if (this.totals.get(id)!.lastBatch > settled) return null;
      if (!except.has(id)) found++;
      end++;
    }
    if (found < size) return null;
    const part: [number, Totals][] = [];
    for (; this.head < end; this.head++) {
      const id = this.queue[this.head]!;
      if (except.has(id)) continue;
      const totals = this.totals.get(id)!;
      totals.written = true;
      part.push([id, totals]);
    }
    this.early += part.length;
    return part.sort((a, b) => a[0] - b[0]);
  }
}

/**
 * Writes the totals of settled customers ({@link NewCustomerTotals.takeSettled}) while the
 * orders are still being imported, one chunk at a time in a transaction of its own beside the
 * order batches (which lock no customers), so that the database does this work while the
 * importer is busy reading and validating; only the customers of the last batches are left
 * for the end. Only on MySQL (SQLite has one connection).
 */
export class EarlyTotalsWriter {
  private running: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly totals: NewCustomerTotals,
    /** Customers recomputed at the end anyway. */
    private readonly except: ReadonlySet<number>,
  ) {}

  /** After a committed batch: starts writing the next chunk of settled customers, if any. */
  kick(): void {
    if (this.running !== null || this.failure !== null) return;
    const part = this.totals.takeSettled(CUSTOMERS_PER_STATEMENT, this.except);
    if (part === null) return;
    this.running = runInTransaction(this.dataSource, (manager) =>
      writeTotals(manager, sqlDialect(this.dataSource), part),
    ).then(
      () => {
        this.running = null;
        this.kick();
      },
      (error: unknown) => {
        this.failure = { error };
        this.running = null;
      },
    );
  }

  /** Waits for the chunks being written. @throws what writing a chunk threw. */
  async finish(): Promise<void> {
    while (this.running !== null) await this.running;
    if (this.failure !== null) throw this.failure.error;
  }
}

/**
 * Writes the aggregates summed by {@link NewCustomerTotals} (but for the customers in
 * `except`, which get a full recompute anyway), many customers per UPDATE. A customer whose
 * aggregates are no longer those of a customer without orders was written by someone else
 * while the import ran: its chunk is recomputed from the orders instead.
 *
 * @returns how many customers were updated.
 */
export async function applyNewCustomerTotals(
  dataSource: DataSource,
  totals: NewCustomerTotals,
  except: ReadonlySet<number>,
  options: { concurrency?: number } = {},
): Promise<number> {
  const rows = totals.entries(except);
  const dialect = sqlDialect(dataSource);
  await forEachChunkInTransaction(
    dataSource,
    chunks(rows, CUSTOMERS_PER_STATEMENT),
    dialect.parallelWrites(options.concurrency ?? 1),
    (manager, part) => writeTotals(manager, dialect, part),
  );
  return rows.length;
}

/**
 * Sets the customers' aggregates to their totals where they are still those of a customer
 * without orders; when any is not (another writer set it), recomputes the chunk from the orders.
 */
async function writeTotals(
  manager: EntityManager,
  dialect: SqlDialect,
  part: [number, Totals][],
): Promise<void> {
  const statement = totalsUpdate(dialect, part);
  // The transaction's own runner, for the structured result (rows changed) on both drivers.
  const result = await manager.queryRunner!.query(statement.sql, statement.params, true);
  if (result.affected !== part.length) {
    await manager.query(
      RECOMPUTE_SQL(part.length),
      part.map(([id]) => id),
    );
  }
}

/** Only customers whose aggregates are still those of a customer without orders. */
const UNTOUCHED = "customers.order_count = 0 AND customers.first_order_at IS NULL";

const TOTALS_COLUMNS = [
  "id",
  "order_count",
  "total_spent_minor",
  "first_order_at",
  "last_order_at",
] as const;

function totalsUpdate(dialect: SqlDialect, part: [number, Totals][]): SqlFragment {
  const values: SqlValue[] = [];
  for (const [id, t] of part) {
    values.push(
      id,
      t.count,
      t.spentMinor,
      sqlDateTime(new Date(t.firstMs)),
      sqlDateTime(new Date(t.lastMs)),
    );
  }
  return dialect.updateFromRows("customers", TOTALS_COLUMNS, values, UNTOUCHED);
}
