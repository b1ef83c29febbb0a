import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../testing/test-server";
import { systemActor } from "../audit/audit.service";
import { ImportService } from "../import/import.service";
import { TierService } from "../tiers/tier.service";
import { ScoringRunService } from "./scoring-run.service";
import { ValueQueryService } from "./value-query.service";

// Segmentation in the scoring run, as a storefront sees it: a tier policy changed by an admin is
// applied by the next run and read back through customer { value { tier { key } } }; a
// downgrade waits for its grace period, on a controlled clock.

const cli = systemActor("test");

/** Order j of customer i + 1, in whole dollars. */
const amountOf = (i: number, j: number) => 5 + ((i * 31 + j * 7) % 29);
/** Each customer's total spend in cents, and the customers from the highest total down. */
const totals = Array.from({ length: 20 }, (_, i) =>
  Array.from({ length: i + 1 }, (_, j) => amountOf(i, j) * 100).reduce((a, b) => a + b, 0),
);
const ranked = totals
  .map((total, i) => ({ id: `K${i + 1}`, total }))
  .sort((a, b) => b.total - a.total);

describe("tiers, RFM and lifecycle in the scoring run", () => {
  let api: TestApi;
  let storefront: string;
  let tiers: TierService;
  let clock = new Date("2026-01-01T00:00:00Z");
  let scoring: ScoringRunService;

  const tierOf = async (externalId: string) => {
    const res = await api.gql<{
      customer: {
        value: {
          tier: { key: string; name: string } | null;
          rfm: { recency: number; frequency: number; monetary: number; group: string } | null;
          lifecycleStage: string | null;
          churnRisk: string | null;
        } | null;
      };
    }>(
      "query($id: String!) { customer(externalId: $id) { value { tier { key name } rfm { recency frequency monetary group } lifecycleStage churnRisk } } }",
      { id: externalId },
      storefront,
    );
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!.customer.value!;
  };

  beforeAll(async () => {
    api = await startTestApi();
    const admin = await api.adminToken();
    const key = await api.gql<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(input: { name: "shop", scopes: ["customers:read"] }) { secret } }',
      {},
      admin,
    );
    storefront = key.data!.createApiKey.secret;
    // Twenty customers; customer k places k orders in 2025 of varying amounts.
    const imports = new ImportService(api.db.dataSource, { currency: "USD" });
    await imports.upsertCustomers(
      Array.from({ length: 20 }, (_, i) => ({
        external_id: `K${i + 1}`,
        created_at: "2025-01-01",
      })),
      cli,
    );
    const orders = Array.from({ length: 20 }, (_, i) =>
      Array.from({ length: i + 1 }, (_, j) => ({
        external_id: `K${i + 1}-${j}`,
        customer_external_id: `K${i + 1}`,
        placed_at: `2025-${String(1 + (j % 12)).padStart(2, "0")}-${String(1 + ((i + j) % 27)).padStart(2, "0")}`,
        amount: `${amountOf(i, j)}.00`,
        margin: "",
        currency: "USD",
        status: "completed",
      })),
    ).flat();
    const recorded = await imports.recordOrders(orders, cli);
    expect(recorded.counts.rejected).toBe(0);
    tiers = new TierService(api.db.dataSource, new ValueQueryService(api.db.dataSource));
    scoring = new ScoringRunService(api.db.dataSource, {
      currency: "USD",
      defaultMarginRate: "0.3",
      clock: () => clock,
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  it("gives every customer a tier, RFM scores and a lifecycle stage", async () => {
    await scoring.runNow(cli);
    const top = await tierOf(ranked[0]!.id);
    expect(top.rfm).toMatchObject({ monetary: 5 });
    expect(top.lifecycleStage).toMatch(/^(new|growing|mature|declining|churned)$/);
    const rows: {
      tier_key: string | null;
      rfm_group: string | null;
      lifecycle_stage: string | null;
    }[] = await api.db.dataSource.query(
      "SELECT tier_key, rfm_group, lifecycle_stage FROM customer_values WHERE run_id = (SELECT MAX(id) FROM scoring_runs WHERE status = 'succeeded')",
    );
    expect(rows).toHaveLength(20);
    for (const row of rows) {
      expect(row.tier_key).toMatch(/^(high|mid_high|mid_low|low)$/);
      expect(row.rfm_group).not.toBeNull();
      expect(row.lifecycle_stage).not.toBeNull();
    }
  });

  it("applies a changed tier policy at the next run, and a downgrade only after the grace period", async () => {
    // Spend thresholds: the four biggest spenders are high, the next six mid_high; 30 days of grace.
    const policy = (highFrom: number) => ({
      policy: {
        kind: "spend_threshold" as const,
        thresholds: [
          { tier: "high", minMinor: highFrom },
          { tier: "mid_high", minMinor: ranked[9]!.total },
        ],
        otherwise: "low",
      },
      graceDays: 30,
    });
    // The boundaries the test relies on are not ties.
    for (const k of [0, 1, 2, 3, 5, 9])
      expect(ranked[k]!.total).toBeGreaterThan(ranked[k + 1]!.total);
    const third = ranked[2]!.id;
    const first = ranked[0]!.id;
    expect(Array.isArray(await tiers.updateSettings(policy(ranked[3]!.total), cli))).toBe(false);
    clock = new Date("2026-02-01T00:00:00Z");
    await scoring.runNow(cli);
    expect((await tierOf(third)).tier).toEqual({ key: "high", name: "High value" });
    expect((await tierOf(ranked[5]!.id)).tier?.key).toBe("mid_high");
    expect((await tierOf(ranked[15]!.id)).tier?.key).toBe("low");

    // The bar for high goes up to the second biggest spender: the third now computes mid_high,
    // but holds high for 30 days.
    await tiers.updateSettings(policy(ranked[1]!.total), cli);
    clock = new Date("2026-02-11T00:00:00Z");
    await scoring.runNow(cli);
    expect((await tierOf(third)).tier?.key).toBe("high");
    expect((await tierOf(first)).tier?.key).toBe("high");
    clock = new Date("2026-03-02T00:00:00Z");
    await scoring.runNow(cli);
    expect((await tierOf(third)).tier?.key).toBe("high"); // 19 days below: still in grace
    clock = new Date("2026-03-14T00:00:00Z");
    await scoring.runNow(cli);
    expect((await tierOf(third)).tier?.key).toBe("mid_high"); // 31 days below: downgraded
    expect((await tierOf(first)).tier?.key).toBe("high");

    // An upgrade applies at once: the bar comes back down.
    await tiers.updateSettings(policy(ranked[3]!.total), cli);
    clock = new Date("2026-03-15T00:00:00Z");
    await scoring.runNow(cli);
    expect((await tierOf(third)).tier?.key).toBe("high");
  });

  it("applies saved RFM group rules, lifecycle thresholds and clusters at the next run", async () => {
    const defaults = await tiers.segmentationSettings();
    const refused = await tiers.updateSegmentationSettings(
      {
        ...defaults,
        rfmRules: [...defaults.rfmRules, { group: "LOYAL", r: [1, 1], fm: [1, 1] }],
        clusters: 0,
      },
      cli,
    );
    expect(Array.isArray(refused)).toBe(true);
    const codes = (refused as { field: string; code: string }[]).map((p) => p.field.split(".")[1]);
    expect(codes).toEqual(expect.arrayContaining(["rfmRules", "clusters"]));

    // One group for the whole grid, and a year of being "new": every buyer is LOYAL and new.
    const saved = await tiers.updateSegmentationSettings(
      {
        rfmRules: [{ group: "LOYAL", r: [1, 5], fm: [1, 5] }],
        lifecycle: { ...defaults.lifecycle, newWithinDays: 3650 },
        clusters: 2,
      },
      cli,
    );
    expect(Array.isArray(saved)).toBe(false);
    clock = new Date("2026-04-01T00:00:00Z");
    await scoring.runNow(cli);
    const rows: { rfm_group: string; lifecycle_stage: string; cluster: number }[] =
      await api.db.dataSource.query(
        "SELECT rfm_group, lifecycle_stage, cluster FROM customer_values WHERE run_id = (SELECT MAX(id) FROM scoring_runs WHERE status = 'succeeded')",
      );
    expect(new Set(rows.map((r) => r.rfm_group))).toEqual(new Set(["LOYAL"]));
    expect(new Set(rows.map((r) => r.lifecycle_stage))).toEqual(new Set(["new"]));
    expect(new Set(rows.map((r) => Number(r.cluster)))).toEqual(new Set([0, 1]));
    await tiers.updateSegmentationSettings(defaults, cli);
  });
});
