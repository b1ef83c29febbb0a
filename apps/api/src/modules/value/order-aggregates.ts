import type { DataSource } from "typeorm";
import { toSafeInteger } from "../../db/column-types";
import { driverOf } from "../../db/data-source";
import { fromSqlDateTime, toSqlDateTime } from "../../db/sql-values";

/**
 * The scoring run's read of the orders. Only completed orders in the store currency count
 * (refunds are not purchases; amounts in other currencies cannot be added up). Days are UTC
 * days: the connections run in UTC, so a stored datetime is a UTC instant on MySQL and SQLite
 * alike.
 *
 * The database only reads rows here, in index order, chunk by chunk; the run adds them up
 * itself (CustomerColumns), in its worker thread. Grouping in SQL (COUNT(DISTINCT DATE(…)),
 * the first purchase day joined back, a second statement for the holdout days and a full scan
 * for the bounds) cost the database three times the CPU of sending the rows, CPU that a
 * serving API's reads then waited for.
 */

const MS_PER_DAY = 86_400_000;

/** A UTC day number (days since 1970-01-01) of a Date. */
export const dayOf = (date: Date): number => Math.floor(date.getTime() / MS_PER_DAY);

/** 'YYYY-MM-DD 00:00:00.000' of a day number: the first instant of that UTC day. */
export const startOfDay = (day: number): string => toSqlDateTime(new Date(day * MS_PER_DAY));

/** Day boundaries a run splits the orders on (exclusive cut-offs, as day numbers). */
export interface AggregateCuts {
  /** Orders before this day are in the calibration period of the holdout check. */
  calibrationCut: number;
  /** Start of the earlier retention window. */
  retentionPreviousStart: number;
  /** Start of the later retention window (the earlier one ends before it). */
  retentionLastStart: number;
}

/** One completed order in the store currency, as a run reads it. */
export interface CompletedOrder {
  customerId: number;
  /** placed_at in epoch milliseconds. */
  placedAtMs: number;
  amountMinor: number;
  /** null when the order's margin is not known. */
  marginMinor: number | null;
}

/** The completed orders of a range of customers. */
export interface OrderChunk {
  /** In the store currency, by customer and then by time. */
  orders: CompletedOrder[];
  /** How many completed orders of these customers are in another currency (left out). */
  otherCurrencyOrders: number;
}

// MySQL's optimiser sometimes prefers a full scan for a range of a few thousand customers;
// the (customer_id, placed_at, id) index is always the better path for a chunk, and it gives
// the rows in the order asked for without a sort.
const hint = (dataSource: DataSource) =>
  driverOf(dataSource) === "mysql" ? " FORCE INDEX (idx_orders_customer_placed)" : "";

/**
 * The completed orders of customers `fromId`..`toId`, by customer and then by time: one
 * statement, a range of the (customer_id, placed_at, id) index with no grouping and no sort.
 * Orders in other currencies are only counted.
 */
export async function readCompletedOrders(
  dataSource: DataSource,
  currency: string,
  fromId: number,
  toId: number,
): Promise<OrderChunk> {
  const rows: {
    customer_id: number | string;
    placed_at: Date | string;
    amount_minor: number | string;
    margin_minor: number | string | null;
    store: number | string;
  }[] = await dataSource.query(
    `SELECT o.customer_id AS customer_id, o.placed_at AS placed_at,
       o.amount_minor AS amount_minor, o.margin_minor AS margin_minor,
       CASE WHEN o.currency = ? THEN 1 ELSE 0 END AS store
     FROM orders o${hint(dataSource)}
     WHERE o.status = 'completed' AND o.customer_id BETWEEN ? AND ?
     ORDER BY o.customer_id, o.placed_at`,
    [currency, fromId, toId],
  );
  const orders: CompletedOrder[] = [];
  let otherCurrencyOrders = 0;
  for (const row of rows) {
    if (Number(row.store) !== 1) {
      otherCurrencyOrders++;
      continue;
    }
    orders.push({
      customerId: toSafeInteger(row.customer_id)!,
      placedAtMs: fromSqlDateTime(row.placed_at)!.getTime(),
      amountMinor: toSafeInteger(row.amount_minor)!,
      marginMinor: toSafeInteger(row.margin_minor),
    });
  }
  return { orders, otherCurrencyOrders };
}
