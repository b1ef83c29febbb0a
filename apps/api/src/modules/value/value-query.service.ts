import type { DataSource } from "typeorm";
import { toSafeInteger } from "../../db/column-types";
import { fromSqlDateTime } from "../../db/sql-values";
import { keysetPage, type KeysetOrder, type Page } from "../../db/keyset";
import { ScoringRunEntity } from "./scoring-run.entity";

/** A customer's stored value with what the reader needs from its run. */
export interface CustomerValueRecord {
  customerId: number;
  runId: number;
  clvMinor: number | null;
  historicalValueMinor: number;
  pAlive: number | null;
  expectedPurchases: number | null;
  expectedAvgValueMinor: number | null;
  marginMinor: number;
  frequency: number;
  firstPurchaseAt: Date | null;
  lastPurchaseAt: Date | null;
  scoredAt: Date;
  /** The run's settings JSON (model, horizon). */
  settingsJson: string;
  tierKey: string | null;
  rfmR: number | null;
  rfmF: number | null;
  rfmM: number | null;
  rfmGroup: string | null;
  lifecycleStage: string | null;
  churnRisk: string | null;
}

/**
 * The current snapshot, in SQL: the succeeded run with the highest id. Runs never overlap (one
 * holds the lock at a time) and flip to succeeded only when complete, so this is the newest
 * complete snapshot; served by idx_scoring_runs_status.
 */
/** The segmentation columns of a snapshot row (alias v). */
const SEGMENT_SELECT =
  "v.tier_key, v.rfm_r, v.rfm_f, v.rfm_m, v.rfm_group, v.lifecycle_stage, v.churn_risk";

export const CURRENT_RUN_SQL = "SELECT MAX(id) FROM scoring_runs WHERE status = 'succeeded'";

const RUNS_NEWEST_FIRST: KeysetOrder<ScoringRunEntity> = {
  name: "scoringRuns:id:DESC",
  column: null,
  idColumn: "r.id",
  direction: "DESC",
  id: (run) => run.id,
  cursorValue: () => null,
};

/** Reads of runs and values for the API. */
export class ValueQueryService {
  constructor(private readonly dataSource: DataSource) {}

  /** Id of the run whose values are current; null before the first successful run. */
  async currentRunId(): Promise<number | null> {
    const rows: { id: number | string | null }[] = await this.dataSource.query(
      `SELECT (${CURRENT_RUN_SQL}) AS id`,
    );
    return toSafeInteger(rows[0]?.id ?? null);
  }

  /** The current values of the given customers, in one query (null for customers without one). */
  async currentValues(
    customerIds: readonly number[],
    runId?: number,
  ): Promise<(CustomerValueRecord | null)[]> {
    if (customerIds.length === 0) return [];
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT v.customer_id, v.run_id, v.clv_minor, v.historical_value_minor, v.p_alive,
              v.expected_purchases, v.expected_avg_value_minor, v.margin_minor, v.frequency,
              v.first_purchase_at, v.last_purchase_at, r.finished_at, r.settings_json,
              ${SEGMENT_SELECT}
       FROM customer_values v JOIN scoring_runs r ON r.id = v.run_id
       WHERE v.run_id = ${runId === undefined ? `(${CURRENT_RUN_SQL})` : "?"}
         AND v.customer_id IN (${customerIds.map(() => "?").join(",")})`,
      runId === undefined ? [...customerIds] : [runId, ...customerIds],
    );
    const byId = new Map<number, CustomerValueRecord>();
    for (const row of rows) {
      const record = toRecord(row);
      byId.set(record.customerId, record);
    }
    return customerIds.map((id) => byId.get(id) ?? null);
  }

  /**
   * One customer's values in the latest `limit` succeeded runs, newest first: how their value
   * moved from run to run. Served by the primary key (run_id, customer_id) per run.
   */
  async valueHistory(customerId: number, limit: number): Promise<CustomerValueRecord[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT v.customer_id, v.run_id, v.clv_minor, v.historical_value_minor, v.p_alive,
              v.expected_purchases, v.expected_avg_value_minor, v.margin_minor, v.frequency,
              v.first_purchase_at, v.last_purchase_at, r.finished_at, r.settings_json,
              ${SEGMENT_SELECT}
       FROM scoring_runs r JOIN customer_values v ON v.run_id = r.id AND v.customer_id = ?
       WHERE r.status = 'succeeded'
       ORDER BY r.id DESC
       LIMIT ?`,
      [customerId, limit],
    );
    return rows.map(toRecord);
  }

  findRun(id: number): Promise<ScoringRunEntity | null> {
    return this.dataSource.getRepository(ScoringRunEntity).findOneBy({ id });
  }

  /** The current run, with its fitted model. */
  async currentRun(): Promise<ScoringRunEntity | null> {
    const id = await this.currentRunId();
    return id === null ? null : this.findRun(id);
  }

  /** The latest `count` succeeded runs, newest first. */
  latestSucceededRuns(count: number): Promise<ScoringRunEntity[]> {
    return this.dataSource
      .getRepository(ScoringRunEntity)
      .find({ where: { status: "succeeded" }, order: { id: "DESC" }, take: count });
  }

  /** Runs, newest first, keyset-paged by id. */
  listRuns(first: number, after: string | null | undefined): Promise<Page<ScoringRunEntity>> {
    const qb = this.dataSource.getRepository(ScoringRunEntity).createQueryBuilder("r");
    return keysetPage(qb, RUNS_NEWEST_FIRST, first, after);
  }

  countRuns(): Promise<number> {
    return this.dataSource.getRepository(ScoringRunEntity).count();
  }
}

function toRecord(row: Record<string, unknown>): CustomerValueRecord {
  const int = (value: unknown) => toSafeInteger(value as string | number | null);
  const float = (value: unknown) => (value === null ? null : Number(value));
  const date = (value: unknown) => fromSqlDateTime(value as Date | string | null);
  return {
    customerId: int(row.customer_id)!,
    runId: int(row.run_id)!,
    clvMinor: int(row.clv_minor),
    historicalValueMinor: int(row.historical_value_minor)!,
    pAlive: float(row.p_alive),
    expectedPurchases: float(row.expected_purchases),
    expectedAvgValueMinor: int(row.expected_avg_value_minor),
    marginMinor: int(row.margin_minor)!,
    frequency: int(row.frequency)!,
    firstPurchaseAt: date(row.first_purchase_at),
    lastPurchaseAt: date(row.last_purchase_at),
    scoredAt: date(row.finished_at)!,
    settingsJson: String(row.settings_json),
    tierKey: (row.tier_key as string | null) ?? null,
    rfmR: int(row.rfm_r),
    rfmF: int(row.rfm_f),
    rfmM: int(row.rfm_m),
    rfmGroup: (row.rfm_group as string | null) ?? null,
    lifecycleStage: (row.lifecycle_stage as string | null) ?? null,
    churnRisk: (row.churn_risk as string | null) ?? null,
  };
}
