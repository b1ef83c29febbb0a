import type { DataSource } from "typeorm";
import { driverOf } from "../../db/data-source";
import { toSafeInteger } from "../../db/column-types";
import { toSqlDateTime } from "../../db/sql-values";
import { CURRENT_RUN_SQL } from "../value/value-query.service";
import { addMonths, monthsBetween, monthStart, type MonthRange } from "./month-range";

type Raw = string | number | null;

export interface MonthFigures {
  /** "YYYY-MM" (UTC). */
  month: string;
  revenueMinor: number;
  orders: number;
  /** Customers whose first completed order is in this month. */
  newCustomers: number;
  /** Customers with a completed order in this month and an earlier one. */
  returningCustomers: number;
}

export interface Cohort {
  month: string;
  customers: number;
  /** active[k]: customers of the cohort with a completed order in month k after the first. */
  active: number[];
}

export interface ClvBucket {
  fromMinor: number;
  /** Exclusive; null for the last bucket, which takes every value from `fromMinor` up. */
  toMinor: number | null;
  customers: number;
}

export interface DashboardSeriesFigures {
  range: MonthRange;
  months: MonthFigures[];
  cohorts: Cohort[];
  /** Null before the first successful scoring run. */
  clvHistogram: ClvBucket[] | null;
}

/** Buckets of the CLV histogram below the open-ended last one. */
const CLV_BUCKETS = 20;
/** The share of customers the equal-width buckets cover; the rest go to the open last bucket. */
const CLV_COVERED = 0.99;

/** The smallest 1, 2 or 5 × 10^k minor units at or above `raw`, so that bucket edges read well. */
function niceWidth(raw: number): number {
  if (raw <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}

/**
 * The dashboard's charts: revenue, orders, new and returning customers by month, cohort
 * retention, and the current run's CLV distribution. Everything is aggregated in SQL (a few
 * grouped rows per month come back, never the orders), in statements both MySQL and SQLite run;
 * months are UTC calendar months.
 */
export class DashboardSeriesService {
  constructor(private readonly dataSource: DataSource) {}

  private monthOf(column: string): string {
    return driverOf(this.dataSource) === "sqlite"
      ? `strftime('%Y-%m', ${column})`
      : `DATE_FORMAT(${column}, '%Y-%m')`;
  }

  async series(range: MonthRange): Promise<DashboardSeriesFigures> {
    const start = toSqlDateTime(monthStart(range.from));
    const end = toSqlDateTime(monthStart(addMonths(range.to, 1)));
    const [orderRows, newRows, cohortRows, clvHistogram] = await Promise.all([
      this.dataSource.query(
        `SELECT ${this.monthOf("o.placed_at")} AS m, COUNT(*) AS orders,
                SUM(o.amount_minor) AS revenue, COUNT(DISTINCT o.customer_id) AS buyers
           FROM orders o
          WHERE o.status = 'completed' AND o.placed_at >= ? AND o.placed_at < ?
          GROUP BY m`,
        [start, end],
      ) as Promise<Record<string, Raw>[]>,
      // first_order_at is the first completed order (customer-aggregates.ts), so a customer is
      // new in exactly one month, and buys in it: returning = buyers − new.
      this.dataSource.query(
        `SELECT ${this.monthOf("c.first_order_at")} AS m, COUNT(*) AS n
           FROM customers c
          WHERE c.first_order_at >= ? AND c.first_order_at < ?
          GROUP BY m`,
        [start, end],
      ) as Promise<Record<string, Raw>[]>,
      // Orders of the cohort's customers only, found through idx_orders_customer_placed.
      this.dataSource.query(
        `SELECT ${this.monthOf("c.first_order_at")} AS cm, ${this.monthOf("o.placed_at")} AS om,
                COUNT(DISTINCT o.customer_id) AS n
           FROM customers c
           JOIN orders o ON o.customer_id = c.id AND o.placed_at >= ? AND o.placed_at < ?
          WHERE c.first_order_at >= ? AND c.first_order_at < ? AND o.status = 'completed'
          GROUP BY cm, om`,
        [start, end, start, end],
      ) as Promise<Record<string, Raw>[]>,
      this.clvHistogram(),
    ]);

    const count = (value: Raw | undefined) => toSafeInteger(value ?? 0) ?? 0;
    const byMonth = new Map(orderRows.map((r) => [String(r.m), r]));
    const newByMonth = new Map(newRows.map((r) => [String(r.m), count(r.n)]));
    const months = monthsBetween(range.from, range.to).map((month): MonthFigures => {
      const row = byMonth.get(month);
      const newCustomers = newByMonth.get(month) ?? 0;
      return {
        month,
        revenueMinor: count(row?.revenue),
        orders: count(row?.orders),
        newCustomers,
        returningCustomers: Math.max(0, count(row?.buyers) - newCustomers),
      };
    });

    const activeIn = new Map(
      cohortRows.map((r) => [`${String(r.cm)}|${String(r.om)}`, count(r.n)]),
    );
    const cohorts = monthsBetween(range.from, range.to)
      .map((month): Cohort => {
        const later = monthsBetween(month, range.to);
        const active = later.map((orderMonth) => activeIn.get(`${month}|${orderMonth}`) ?? 0);
        return { month, customers: newByMonth.get(month) ?? 0, active };
      })
      .filter((cohort) => cohort.customers > 0);

    return { range, months, cohorts, clvHistogram };
  }

  /**
   * Equal-width buckets from the lowest CLV of the current run to its 99th percentile, and one
   * open bucket above: CLV is heavy-tailed, and equal buckets up to the maximum would put
   * nearly everyone in the first. Customers without a CLV are left out.
   */
  private async clvHistogram(): Promise<ClvBucket[] | null> {
    const [stats] = (await this.dataSource.query(
      `SELECT r.id AS run_id, COUNT(v.clv_minor) AS n, MIN(v.clv_minor) AS lo, MAX(v.clv_minor) AS hi
         FROM scoring_runs r
         LEFT JOIN customer_values v ON v.run_id = r.id
        WHERE r.id = (${CURRENT_RUN_SQL})
        GROUP BY r.id`,
    )) as Record<string, Raw>[];
    if (!stats) return null;
    const runId = toSafeInteger(stats.run_id)!;
    const n = toSafeInteger(stats.n) ?? 0;
    if (n === 0) return [];
    const lo = toSafeInteger(stats.lo)!;
    const hi = toSafeInteger(stats.hi)!;
    // The percentile by position in idx_customer_values_clv (run_id, clv_minor, customer_id).
    const [p] = (await this.dataSource.query(
      `SELECT clv_minor AS v FROM customer_values
        WHERE run_id = ? AND clv_minor IS NOT NULL
        ORDER BY clv_minor LIMIT 1 OFFSET ?`,
      [runId, Math.floor(CLV_COVERED * (n - 1))],
    )) as Record<string, Raw>[];
    const top = toSafeInteger(p?.v ?? hi) ?? hi;
    const width = niceWidth(Math.ceil((top - lo + 1) / CLV_BUCKETS));
    const base = Math.floor(lo / width) * width;
    const equal = Math.min(CLV_BUCKETS, Math.floor((top - base) / width) + 1);
    const open = base + equal * width;
    const buckets = hi >= open ? equal + 1 : equal;
    // Integer division of a non-negative difference: MySQL's DIV; in SQLite a CAST, since a
    // bound number may arrive as a REAL and "/" would then not truncate.
    const bucketOf =
      driverOf(this.dataSource) === "sqlite"
        ? "CAST((clv_minor - ?) / ? AS INTEGER)"
        : "(clv_minor - ?) DIV ?";
    const rows = (await this.dataSource.query(
      `SELECT CASE WHEN clv_minor >= ? THEN ? ELSE ${bucketOf} END AS b, COUNT(*) AS n
         FROM customer_values
        WHERE run_id = ? AND clv_minor IS NOT NULL
        GROUP BY b`,
      [open, equal, base, width, runId],
    )) as Record<string, Raw>[];
    const counts = new Map(rows.map((r) => [toSafeInteger(r.b)!, toSafeInteger(r.n) ?? 0]));
    return Array.from({ length: buckets }, (_, i) => ({
      fromMinor: base + i * width,
      toMinor: i === equal ? null : base + (i + 1) * width,
      customers: counts.get(i) ?? 0,
    }));
  }
}
