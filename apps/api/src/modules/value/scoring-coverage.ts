import type { DataSource } from "typeorm";
import { driverOf } from "../../db/data-source";
import { toSqlDateTime } from "../../db/sql-values";
import { ScoringRunEntity } from "./scoring-run.entity";

export interface ScoringCoverage {
  /** Customers stored now. */
  customersTotal: number;
  /**
   * Customers added or changed (their row, or their orders' totals on it) since the current
   * run started, so their values are missing or out of date; every customer before a first run.
   */
  customersNotScored: number;
  /** The run whose values customers show; null before the first that succeeded. */
  currentRun: ScoringRunEntity | null;
}

/**
 * How much of the customer base the current scoring run covers ("1,204 customers not scored
 * yet"). A customer counts when its `updated_at` is later than the current run's start: the
 * import and the API touch it when the customer or its order totals change (MySQL's ON UPDATE
 * clause, the SQLite dialect's explicit update), and creation sets it.
 *
 * On MySQL the start is compared on the database's own clock (NOW(6) less the time since the
 * run started): `updated_at` is written by MySQL in its session time zone, which need not be
 * the UTC the application writes.
 */
export async function scoringCoverage(dataSource: DataSource): Promise<ScoringCoverage> {
  const currentRun = await dataSource
    .getRepository(ScoringRunEntity)
    .findOne({ where: { status: "succeeded" }, order: { id: "DESC" } });
  const [total] = await dataSource.query("SELECT COUNT(*) AS n FROM customers");
  const customersTotal = Number(total.n);
  if (!currentRun) return { customersTotal, customersNotScored: customersTotal, currentRun };
  const started = currentRun.startedAt ?? currentRun.createdAt;
  let rows: { n: number | string }[];
  if (driverOf(dataSource) === "mysql") {
    const elapsedMicros = Math.max(0, Math.round((Date.now() - started.getTime()) * 1000));
    rows = await dataSource.query(
      "SELECT COUNT(*) AS n FROM customers WHERE updated_at > NOW(6) - INTERVAL ? MICROSECOND",
      [elapsedMicros],
    );
  } else {
    rows = await dataSource.query("SELECT COUNT(*) AS n FROM customers WHERE updated_at > ?", [
      toSqlDateTime(started),
    ]);
  }
  return { customersTotal, customersNotScored: Number(rows[0]!.n), currentRun };
}
