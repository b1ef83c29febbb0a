import { formatMoney } from "@valuetier/domain";
import type { DataSource } from "typeorm";
import { DomainError } from "../../errors/domain-error";
import type { TierService } from "../tiers/tier.service";
import type { ValueQueryService } from "../value/value-query.service";
import { rfmGrid, type RfmGridCell } from "./rfm-grid";

export interface TierShare {
  key: string;
  /** Null for a key the scoring run wrote that is no longer a tier. */
  name: string | null;
  customers: number;
  /** Sum of the members' CLV in the store currency, decimal text. */
  clv: string;
}

export interface ValueDistribution {
  /** Null before the first successful scoring run (then everything else is empty or zero). */
  runId: number | null;
  currency: string;
  tiers: TierShare[];
  /** Customers scored without a tier (none when a policy's "otherwise" catches everyone). */
  untiered: number;
  rfmGrid: RfmGridCell[];
  /** Customers with no RFM score: no purchase in the observation window. */
  prospects: number;
  atRiskCustomers: number;
  /** CLV of the customers at high churn risk or in the declining stage, decimal text. */
  atRiskValue: string;
}

export interface Movement {
  /** Null: the customer had no value in the earlier run (new since then). */
  from: string | null;
  to: string | null;
  customers: number;
}

export interface TierMovements {
  fromRunId: number | null;
  toRunId: number | null;
  tiers: Movement[];
  rfmGroups: Movement[];
}

type Row = Record<string, unknown>;
const count = (value: unknown): number => Number(value ?? 0);
const keyOrNull = (value: unknown): string | null => (value == null ? null : String(value));

/** Distributions of the scored customers over tiers, RFM cells and runs, computed in SQL. */
export class DistributionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly valueQueries: ValueQueryService,
    private readonly tierService: TierService,
    private readonly currency: string,
  ) {}

  /** Customers and CLV per tier, the R × FM grid and the value at risk, in the current run. */
  async valueDistribution(): Promise<ValueDistribution> {
    const runId = await this.valueQueries.currentRunId();
    const tierRows = await this.tierService.list();
    if (runId === null) {
      return {
        runId,
        currency: this.currency,
        tiers: tierRows.map((t) => ({
          key: t.key,
          name: t.name,
          customers: 0,
          clv: this.amount(0),
        })),
        untiered: 0,
        rfmGrid: rfmGrid([]),
        prospects: 0,
        atRiskCustomers: 0,
        atRiskValue: this.amount(0),
      };
    }
    const [perTier, perScore, [atRisk]] = await Promise.all([
      this.dataSource.query(
        "SELECT tier_key, COUNT(*) AS n, COALESCE(SUM(clv_minor), 0) AS clv FROM customer_values WHERE run_id = ? GROUP BY tier_key",
        [runId],
      ) as Promise<Row[]>,
      this.dataSource.query(
        "SELECT rfm_r AS r, rfm_f AS f, rfm_m AS m, COUNT(*) AS n FROM customer_values WHERE run_id = ? GROUP BY rfm_r, rfm_f, rfm_m",
        [runId],
      ) as Promise<Row[]>,
      this.dataSource.query(
        "SELECT COUNT(*) AS n, COALESCE(SUM(clv_minor), 0) AS clv FROM customer_values WHERE run_id = ? AND (churn_risk = 'high' OR lifecycle_stage = 'declining')",
        [runId],
      ) as Promise<Row[]>,
    ]);
    const byKey = new Map(perTier.map((row) => [keyOrNull(row.tier_key), row]));
    const tiers: TierShare[] = tierRows.map((t) => ({
      key: t.key,
      name: t.name,
      customers: count(byKey.get(t.key)?.n),
      clv: this.amount(byKey.get(t.key)?.clv),
    }));
    const known = new Set(tierRows.map((t) => t.key));
    for (const row of perTier) {
      const key = keyOrNull(row.tier_key);
      if (key !== null && !known.has(key)) {
        tiers.push({ key, name: null, customers: count(row.n), clv: this.amount(row.clv) });
      }
    }
    const scored = perScore.filter((row) => row.r != null && row.f != null && row.m != null);
    return {
      runId,
      currency: this.currency,
      tiers,
      untiered: count(byKey.get(null)?.n),
      rfmGrid: rfmGrid(
        scored.map((row) => ({
          r: count(row.r),
          f: count(row.f),
          m: count(row.m),
          customers: count(row.n),
        })),
      ),
      prospects: perScore
        .filter((row) => row.r == null)
        .reduce((sum, row) => sum + count(row.n), 0),
      atRiskCustomers: count(atRisk?.n),
      atRiskValue: this.amount(atRisk?.clv),
    };
  }

  /**
   * Customers per (tier then, tier now) and per (RFM group then, group now) between two
   * succeeded runs, by default the previous and the current one. Counted over the later run's
   * customers: one without a value in the earlier run moves from null.
   *
   * @throws {DomainError} INVALID_INPUT when a run is not a succeeded scoring run, or only one
   *   of the two is given.
   */
  async tierMovements(fromRunId?: number | null, toRunId?: number | null): Promise<TierMovements> {
    let from = fromRunId ?? null;
    let to = toRunId ?? null;
    if ((from === null) !== (to === null)) {
      throw new DomainError(
        "INVALID_INPUT",
        `${from === null ? "fromRunId" : "toRunId"}: give both runs or neither`,
        { field: from === null ? "fromRunId" : "toRunId" },
      );
    }
    if (from === null || to === null) {
      const runs: Row[] = await this.dataSource.query(
        "SELECT id FROM scoring_runs WHERE status = 'succeeded' ORDER BY id DESC LIMIT 2",
      );
      if (runs.length < 2) {
        return {
          fromRunId: null,
          toRunId: runs[0] ? count(runs[0].id) : null,
          tiers: [],
          rfmGroups: [],
        };
      }
      from = count(runs[1]!.id);
      to = count(runs[0]!.id);
    } else {
      await this.requireSucceeded(from, "fromRunId");
      await this.requireSucceeded(to, "toRunId");
    }
    const moves = async (column: "tier_key" | "rfm_group"): Promise<Movement[]> => {
      const rows: Row[] = await this.dataSource.query(
        `SELECT a.${column} AS from_key, b.${column} AS to_key, COUNT(*) AS n
           FROM customer_values b
           LEFT JOIN customer_values a ON a.run_id = ? AND a.customer_id = b.customer_id
          WHERE b.run_id = ?
          GROUP BY a.${column}, b.${column}`,
        [from, to],
      );
      return rows
        .map((row) => ({
          from: keyOrNull(row.from_key),
          to: keyOrNull(row.to_key),
          customers: count(row.n),
        }))
        .sort(
          (x, y) =>
            (x.from ?? "").localeCompare(y.from ?? "") || (x.to ?? "").localeCompare(y.to ?? ""),
        );
    };
    return {
      fromRunId: from,
      toRunId: to,
      tiers: await moves("tier_key"),
      rfmGroups: await moves("rfm_group"),
    };
  }

  private async requireSucceeded(runId: number, argument: string): Promise<void> {
    const rows: Row[] = await this.dataSource.query(
      "SELECT status FROM scoring_runs WHERE id = ?",
      [runId],
    );
    if (rows[0]?.status !== "succeeded") {
      throw new DomainError(
        "INVALID_INPUT",
        `${argument}: run ${runId} ${rows[0] ? `has status ${String(rows[0].status)}, not succeeded` : "does not exist"}`,
        { field: argument },
      );
    }
  }

  /** Minor units as the store currency's decimal text; mysql2 gives SUM(BIGINT) as a string. */
  private amount(minor: unknown): string {
    return formatMoney(Number(minor ?? 0), this.currency);
  }
}
