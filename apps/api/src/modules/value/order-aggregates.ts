import type { DataSource } from "typeorm";
import { toSafeInteger } from "../../db/column-types";
import { driverOf } from "../../db/data-source";
import { fromSqlDateTime, toSqlDateTime } from "../../db/sql-values";

/**
 * The scoring run's reads of the orders, aggregated in SQL. Only completed orders in the store
 * currency count (refunds are not purchases; amounts in other currencies cannot be added up).
 * Days are UTC days: the connections run in UTC and DATE() of a UTC datetime is its UTC day,
 * on MySQL and SQLite alike.
 */

const MS_PER_DAY = 86_400_000;

/** A UTC day number (days since 1970-01-01) of a Date. */
export const dayOf = (date: Date): number => Math.floor(date.getTime() / MS_PER_DAY);

/** 'YYYY-MM-DD 00:00:00.000' of a day number: the first instant of that UTC day. */
export const startOfDay = (day: number): string => toSqlDateTime(new Date(day * MS_PER_DAY));

/** What the orders table holds, to place the observation, holdout and retention windows. */
export interface OrderBounds {
  /** Completed orders in the store currency. */
  orders: number;
  firstAt: Date | null;
  lastAt: Date | null;
  /** Completed orders in another currency, which the run leaves out. */
  otherCurrencyOrders: number;
}

/**
 * One scan of the orders: the span of completed orders in the store currency, and how many
 * completed orders are in other currencies.
 */
export async function orderBounds(dataSource: DataSource, currency: string): Promise<OrderBounds> {
  const rows: { currency: string; n: number | string; first_at: unknown; last_at: unknown }[] =
    await dataSource.query(
      "SELECT currency, COUNT(*) AS n, MIN(placed_at) AS first_at, MAX(placed_at) AS last_at " +
        "FROM orders WHERE status = 'completed' GROUP BY currency",
    );
  const bounds: OrderBounds = { orders: 0, firstAt: null, lastAt: null, otherCurrencyOrders: 0 };
  for (const row of rows) {
    if (row.currency === currency) {
      bounds.orders = toSafeInteger(row.n)!;
      bounds.firstAt = fromSqlDateTime(row.first_at as Date | string | null);
      bounds.lastAt = fromSqlDateTime(row.last_at as Date | string | null);
    } else {
      bounds.otherCurrencyOrders += toSafeInteger(row.n)!;
    }
  }
  return bounds;
}

/** Day boundaries the aggregate query splits on (exclusive cut-offs, as day numbers). */
export interface AggregateCuts {
  /** Orders before this day are in the calibration period of the holdout check. */
  calibrationCut: number;
  /** Start of the earlier retention window. */
  retentionPreviousStart: number;
  /** Start of the later retention window (the earlier one ends before it). */
  retentionLastStart: number;
}

/** One customer's completed orders, as the aggregate query returns them. */
export interface CustomerOrderRow {
  customerId: number;
  orders: number;
  purchaseDays: number;
  firstAt: Date;
  lastAt: Date;
  amountMinor: number;
  firstDayAmountMinor: number;
  marginKnownMinor: number;
  amountWithoutMarginMinor: number;
  /** Distinct purchase days before the calibration cut. */
  calibrationDays: number;
  /** Last order before the calibration cut; null when there is none. */
  calibrationLastAt: Date | null;
  calibrationAmountMinor: number;
  /** Bought in the earlier / the later retention window. */
  activeBefore: boolean;
  activeLast: boolean;
}

// MySQL's optimiser sometimes prefers a full scan for a range of a few thousand customers;
// the (customer_id, placed_at, id) index is always the better path for a chunk.
const hint = (dataSource: DataSource) =>
  driverOf(dataSource) === "mysql" ? " FORCE INDEX (idx_orders_customer_placed)" : "";

/**
 * Per-customer aggregates of the completed orders of customers `fromId`..`toId`: counts,
 * distinct purchase days (COUNT(DISTINCT DATE(placed_at))), first and last order, the amount
 * and the amount of the first purchase day (for the mean repeat spend, which excludes it),
 * margins, and the same before the calibration cut, plus activity in the retention windows.
 * One statement; the first purchase day comes from a grouped derived table joined back.
 *
 * @returns rows for the customers in the range that have completed orders.
 */
export async function aggregateOrders(
  dataSource: DataSource,
  currency: string,
  fromId: number,
  toId: number,
  cuts: AggregateCuts,
): Promise<CustomerOrderRow[]> {
  const index = hint(dataSource);
  const calibrationCut = startOfDay(cuts.calibrationCut);
  const previousStart = startOfDay(cuts.retentionPreviousStart);
  const lastStart = startOfDay(cuts.retentionLastStart);
  const rows: Record<string, unknown>[] = await dataSource.query(
    `SELECT o.customer_id AS customer_id,
       COUNT(*) AS orders,
       COUNT(DISTINCT DATE(o.placed_at)) AS purchase_days,
       MIN(o.placed_at) AS first_at,
       MAX(o.placed_at) AS last_at,
       SUM(o.amount_minor) AS amount,
       SUM(CASE WHEN DATE(o.placed_at) = f.first_date THEN o.amount_minor ELSE 0 END) AS first_day_amount,
       SUM(COALESCE(o.margin_minor, 0)) AS margin_known,
       SUM(CASE WHEN o.margin_minor IS NULL THEN o.amount_minor ELSE 0 END) AS amount_without_margin,
       COUNT(DISTINCT CASE WHEN o.placed_at < ? THEN DATE(o.placed_at) END) AS calibration_days,
       MAX(CASE WHEN o.placed_at < ? THEN o.placed_at END) AS calibration_last_at,
       SUM(CASE WHEN o.placed_at < ? THEN o.amount_minor ELSE 0 END) AS calibration_amount,
       MAX(CASE WHEN o.placed_at >= ? AND o.placed_at < ? THEN 1 ELSE 0 END) AS active_before,
       MAX(CASE WHEN o.placed_at >= ? THEN 1 ELSE 0 END) AS active_last
     FROM orders o${index}
     JOIN (SELECT customer_id, MIN(DATE(placed_at)) AS first_date
           FROM orders${index}
           WHERE status = 'completed' AND currency = ? AND customer_id BETWEEN ? AND ?
           GROUP BY customer_id) f ON f.customer_id = o.customer_id
     WHERE o.status = 'completed' AND o.currency = ? AND o.customer_id BETWEEN ? AND ?
     GROUP BY o.customer_id`,
    [
      calibrationCut,
      calibrationCut,
      calibrationCut,
      previousStart,
      lastStart,
      lastStart,
      currency,
      fromId,
      toId,
      currency,
      fromId,
      toId,
    ],
  );
  const int = (value: unknown) => toSafeInteger(value as string | number)!;
  return rows.map((row) => ({
    customerId: int(row.customer_id),
    orders: int(row.orders),
    purchaseDays: int(row.purchase_days),
    firstAt: fromSqlDateTime(row.first_at as Date | string)!,
    lastAt: fromSqlDateTime(row.last_at as Date | string)!,
    amountMinor: int(row.amount),
    firstDayAmountMinor: int(row.first_day_amount),
    marginKnownMinor: int(row.margin_known),
    amountWithoutMarginMinor: int(row.amount_without_margin),
    calibrationDays: int(row.calibration_days),
    calibrationLastAt: fromSqlDateTime(row.calibration_last_at as Date | string | null),
    calibrationAmountMinor: int(row.calibration_amount),
    activeBefore: int(row.active_before) === 1,
    activeLast: int(row.active_last) === 1,
  }));
}

/**
 * The purchase days on or after the calibration cut of customers `fromId`..`toId`, one row per
 * customer and day, for the holdout tracking series. The caller keeps those of customers who
 * had bought before the cut (it knows their first purchase from {@link aggregateOrders}):
 * filtering here with EXISTS cost more than sending the rows.
 */
export async function holdoutPurchaseDays(
  dataSource: DataSource,
  currency: string,
  fromId: number,
  toId: number,
  calibrationCutDay: number,
): Promise<{ customerId: number; day: number }[]> {
  const rows: { customer_id: number | string; day: Date | string }[] = await dataSource.query(
    `SELECT o.customer_id AS customer_id, DATE(o.placed_at) AS day
     FROM orders o${hint(dataSource)}
     WHERE o.status = 'completed' AND o.currency = ? AND o.customer_id BETWEEN ? AND ?
       AND o.placed_at >= ?
     GROUP BY o.customer_id, DATE(o.placed_at)`,
    [currency, fromId, toId, startOfDay(calibrationCutDay)],
  );
  return rows.map((row) => ({
    customerId: toSafeInteger(row.customer_id)!,
    day: dayOfSqlDate(row.day),
  }));
}

/** Day number of a DATE() result: a Date at UTC midnight (mysql2) or 'YYYY-MM-DD' (SQLite). */
function dayOfSqlDate(value: Date | string): number {
  if (value instanceof Date) return dayOf(value);
  return Math.floor(Date.parse(`${value}T00:00:00Z`) / MS_PER_DAY);
}
