import type { DataSource } from "typeorm";
import { toSafeInteger } from "../../db/column-types";
import { fromSqlDateTime } from "../../db/sql-values";
import { CURRENT_RUN_SQL } from "../value/value-query.service";

type Raw = string | number | null;

/** Integer sum / count rounded to the nearest minor unit (half away from zero); null when count is 0. */
function meanMinor(sum: Raw, count: Raw): number | null {
  const n = toSafeInteger(count) ?? 0;
  if (n === 0) return null;
  return Math.round(Number(sum ?? 0) / n);
}

export interface DashboardFigures {
  customers: number;
  buyers: number;
  repeatBuyers: number;
  revenueMinor: number;
  completedOrders: number;
  averageOrderValueMinor: number | null;
  averageCacMinor: number | null;
  currentRun: {
    activeCustomers: number;
    totalClvMinor: number;
    averageClvMinor: number | null;
    finishedAt: Date | null;
  } | null;
}

/**
 * The dashboard's figures in two aggregate queries: one over customers (their order aggregates
 * are kept on the row), one over the current scoring run's values.
 */
export class DashboardService {
  constructor(private readonly dataSource: DataSource) {}

  async figures(): Promise<DashboardFigures> {
    const [c] = (await this.dataSource.query(
      `SELECT COUNT(*) AS customers,
              SUM(CASE WHEN order_count > 0 THEN 1 ELSE 0 END) AS buyers,
              SUM(CASE WHEN order_count > 1 THEN 1 ELSE 0 END) AS repeat_buyers,
              COALESCE(SUM(total_spent_minor), 0) AS revenue,
              COALESCE(SUM(order_count), 0) AS orders,
              SUM(acquisition_cost_minor) AS cac_sum,
              COUNT(acquisition_cost_minor) AS cac_count
         FROM customers`,
    )) as Record<string, Raw>[];
    const [v] = (await this.dataSource.query(
      `SELECT r.id AS run_id, r.finished_at AS finished_at,
              SUM(CASE WHEN v.p_alive > 0.5 THEN 1 ELSE 0 END) AS active,
              COALESCE(SUM(v.clv_minor), 0) AS clv_sum,
              COUNT(v.clv_minor) AS clv_count
         FROM scoring_runs r
         LEFT JOIN customer_values v ON v.run_id = r.id
        WHERE r.id = (${CURRENT_RUN_SQL})
        GROUP BY r.id, r.finished_at`,
    )) as Record<string, Raw>[];
    const orders = toSafeInteger(c?.orders ?? 0) ?? 0;
    return {
      customers: toSafeInteger(c?.customers ?? 0) ?? 0,
      buyers: toSafeInteger(c?.buyers ?? 0) ?? 0,
      repeatBuyers: toSafeInteger(c?.repeat_buyers ?? 0) ?? 0,
      revenueMinor: toSafeInteger(c?.revenue ?? 0) ?? 0,
      completedOrders: orders,
      averageOrderValueMinor: meanMinor(c?.revenue ?? 0, orders),
      averageCacMinor: meanMinor(c?.cac_sum ?? null, c?.cac_count ?? 0),
      currentRun: v
        ? {
            activeCustomers: toSafeInteger(v.active ?? 0) ?? 0,
            totalClvMinor: toSafeInteger(v.clv_sum ?? null) ?? 0,
            averageClvMinor: meanMinor(v.clv_sum ?? null, v.clv_count ?? null),
            finishedAt: fromSqlDateTime(v.finished_at as Date | string | null),
          }
        : null,
    };
  }
}
