import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource } from "../../db/data-source";
import { createTestDatabase } from "../../testing/test-database";
import { TierService } from "../tiers/tier.service";
import { ValueQueryService } from "../value/value-query.service";
import { DistributionService } from "./distribution.service";

type Value = [
  tier: string | null,
  clvMinor: number | null,
  r: number | null,
  f: number | null,
  m: number | null,
  group: string,
  stage: string,
  risk: string | null,
];

/**
 * Six customers over two succeeded runs and a failed third (values are written directly, as a
 * scoring run would leave them). D5 and D6 are new in run 2; D6's tier "gone" is no tier now.
 */
const RUN1: Record<string, Value> = {
  D1: ["high", 100000, 5, 4, 5, "CHAMPIONS", "mature", "low"],
  D2: ["high", 50000, 5, 5, 5, "CHAMPIONS", "mature", "low"],
  D3: ["mid_low", 2000, 2, 1, 2, "AT_RISK", "declining", "high"],
  D4: ["low", 100, null, null, null, "PROSPECTS", "prospect", null],
};
const RUN2: Record<string, Value> = {
  D1: ["high", 120000, 5, 4, 5, "CHAMPIONS", "mature", "low"],
  D2: ["mid_high", 30000, 3, 3, 4, "LOYAL", "declining", "medium"],
  D3: ["low", 1000, 1, 1, 1, "HIBERNATING", "churned", "high"],
  D4: ["low", null, null, null, null, "PROSPECTS", "prospect", null],
  D5: ["mid_low", 5000, 4, 2, 3, "NEW", "new", "low"],
  D6: ["gone", 700, 4, 2, 2, "NEW", "new", "low"],
};

async function seed(ds: DataSource): Promise<number[]> {
  for (const key of ["D1", "D2", "D3", "D4", "D5", "D6"]) {
    await ds.query(
      "INSERT INTO customers (external_id, name, first_seen_at) VALUES (?, '', '2024-01-01 00:00:00.000')",
      [key],
    );
  }
  const ids = new Map(
    (
      (await ds.query("SELECT id, external_id FROM customers")) as {
        id: number;
        external_id: string;
      }[]
    ).map((row) => [row.external_id, Number(row.id)]),
  );
  const runIds: number[] = [];
  for (const [status, values] of [
    ["succeeded", RUN1],
    ["succeeded", RUN2],
    ["failed", {}],
  ] as const) {
    await ds.query(
      "INSERT INTO scoring_runs (status, progress, phase, heartbeat_at, created_at, finished_at, settings_json, triggered_by) " +
        "VALUES (?, 1, 'done', '2025-01-01 00:00:00.000', '2025-01-01 00:00:00.000', '2025-01-01 00:00:00.000', '{}', 'test')",
      [status],
    );
    const [row] = (await ds.query("SELECT MAX(id) AS id FROM scoring_runs")) as { id: number }[];
    const runId = Number(row!.id);
    runIds.push(runId);
    for (const [key, [tier, clv, r, f, m, group, stage, risk]] of Object.entries(values)) {
      await ds.query(
        "INSERT INTO customer_values (run_id, customer_id, clv_minor, historical_value_minor, margin_minor, orders, frequency, tier_key, rfm_r, rfm_f, rfm_m, rfm_group, lifecycle_stage, churn_risk) " +
          "VALUES (?, ?, ?, 0, 0, 0, 0, ?, ?, ?, ?, ?, ?, ?)",
        [runId, ids.get(key), clv, tier, r, f, m, group, stage, risk],
      );
    }
  }
  return runIds;
}

function behavesOn(
  name: string,
  open: () => Promise<{ ds: DataSource; close: () => Promise<void> }>,
) {
  describe(`distributions on ${name}`, () => {
    let ds: DataSource;
    let close: () => Promise<void>;
    let service: DistributionService;
    let runs: number[];

    beforeAll(async () => {
      ({ ds, close } = await open());
      const values = new ValueQueryService(ds);
      service = new DistributionService(ds, values, new TierService(ds, values), "USD");
    });

    afterAll(async () => {
      await close?.();
    });

    it("is empty before the first scoring run, with every tier at zero", async () => {
      const d = await service.valueDistribution();
      expect(d.runId).toBeNull();
      expect(d.tiers.map((t) => [t.key, t.customers, t.clv])).toEqual([
        ["high", 0, "0.00"],
        ["mid_high", 0, "0.00"],
        ["mid_low", 0, "0.00"],
        ["low", 0, "0.00"],
      ]);
      expect(d.rfmGrid.every((c) => c.customers === 0)).toBe(true);
      expect(await service.tierMovements()).toEqual({
        fromRunId: null,
        toRunId: null,
        tiers: [],
        rfmGroups: [],
      });
      runs = await seed(ds);
    });

    it("counts customers and CLV per tier, the R × FM grid and the value at risk of the current run", async () => {
      const d = await service.valueDistribution();
      expect(d.runId).toBe(runs[1]);
      expect(d.tiers).toEqual([
        { key: "high", name: "High value", customers: 1, clv: "1200.00" },
        { key: "mid_high", name: "Mid-high value", customers: 1, clv: "300.00" },
        { key: "mid_low", name: "Mid-low value", customers: 1, clv: "50.00" },
        { key: "low", name: "Low value", customers: 2, clv: "10.00" },
        { key: "gone", name: null, customers: 1, clv: "7.00" },
      ]);
      expect(d.untiered).toBe(0);
      expect(d.rfmGrid.filter((c) => c.customers > 0)).toEqual([
        { r: 1, fm: 1, customers: 1 },
        { r: 3, fm: 4, customers: 1 },
        { r: 4, fm: 2, customers: 1 },
        { r: 4, fm: 3, customers: 1 },
        { r: 5, fm: 5, customers: 1 },
      ]);
      expect(d.prospects).toBe(1);
      // D2 (declining) and D3 (high risk): 300.00 + 10.00.
      expect(d.atRiskCustomers).toBe(2);
      expect(d.atRiskValue).toBe("310.00");
    });

    it("counts tier and group moves between the previous and the current run by default", async () => {
      const m = await service.tierMovements();
      expect(m.fromRunId).toBe(runs[0]);
      expect(m.toRunId).toBe(runs[1]);
      expect(m.tiers).toEqual([
        { from: null, to: "gone", customers: 1 },
        { from: null, to: "mid_low", customers: 1 },
        { from: "high", to: "high", customers: 1 },
        { from: "high", to: "mid_high", customers: 1 },
        { from: "low", to: "low", customers: 1 },
        { from: "mid_low", to: "low", customers: 1 },
      ]);
      expect(m.rfmGroups).toEqual([
        { from: null, to: "NEW", customers: 2 },
        { from: "AT_RISK", to: "HIBERNATING", customers: 1 },
        { from: "CHAMPIONS", to: "CHAMPIONS", customers: 1 },
        { from: "CHAMPIONS", to: "LOYAL", customers: 1 },
        { from: "PROSPECTS", to: "PROSPECTS", customers: 1 },
      ]);
      const backwards = await service.tierMovements(runs[1], runs[0]);
      expect(backwards.tiers).toContainEqual({ from: "mid_high", to: "high", customers: 1 });
      expect(backwards.tiers.reduce((sum, x) => sum + x.customers, 0)).toBe(4);
    });

    it("refuses a run that did not succeed, or only one of the two runs", async () => {
      await expect(service.tierMovements(runs[0], runs[2])).rejects.toThrow(
        `toRunId: run ${runs[2]} has status failed, not succeeded`,
      );
      await expect(service.tierMovements(runs[0], 999)).rejects.toThrow("run 999 does not exist");
      await expect(service.tierMovements(runs[0], null)).rejects.toThrow(
        "toRunId: give both runs or neither",
      );
    });
  });
}

behavesOn("MySQL", async () => {
  const db = await createTestDatabase("vt_distrib");
  return { ds: db.dataSource, close: () => db.drop() };
});

behavesOn("the embedded SQLite database", async () => {
  const ds = createDataSource({ sqlitePath: ":memory:" });
  await ds.initialize();
  return { ds, close: () => ds.destroy() };
});
