import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../testing/test-server";

// Value tiers over HTTP against MySQL: definitions as data, the policy with coded refusals, and
// the backtest of a policy over past scoring runs.

const POLICY = `{ tierPolicy { kind bands { tier percent } thresholds { tier minAmount } otherwise graceDays } }`;
const UPDATE_POLICY = `mutation($p: TierPolicyInput!) {
  updateTierPolicy(input: $p) { policy { kind graceDays } userErrors { field code message } }
}`;
const BACKTEST = `query($p: TierPolicyInput!) {
  tierBacktest(policy: $p, runs: 6) { tiers { key count } runs { upgrades downgrades } userErrors { field code } }
}`;

describe("value tiers", () => {
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.adminToken();
  });

  afterAll(async () => {
    await api?.close();
  });

  it("starts with the four default tiers and the CLV percentile policy", async () => {
    const tiers = await api.gql<{ tiers: { key: string; name: string; rank: number }[] }>(
      "{ tiers { key name rank } }",
      {},
      admin,
    );
    expect(tiers.data!.tiers).toEqual([
      { key: "high", name: "High value", rank: 1 },
      { key: "mid_high", name: "Mid-high value", rank: 2 },
      { key: "mid_low", name: "Mid-low value", rank: 3 },
      { key: "low", name: "Low value", rank: 4 },
    ]);
    const policy = await api.gql<{ tierPolicy: Record<string, unknown> }>(POLICY, {}, admin);
    expect(policy.data!.tierPolicy).toEqual({
      kind: "CLV_PERCENTILE",
      bands: [
        { tier: "high", percent: 5 },
        { tier: "mid_high", percent: 15 },
        { tier: "mid_low", percent: 30 },
      ],
      thresholds: [],
      otherwise: "low",
      graceDays: 30,
    });
  });

  it("refuses a policy that cannot work, saying what and where", async () => {
    const refused = async (p: Record<string, unknown>) =>
      (
        await api.gql<{
          updateTierPolicy: { policy: unknown; userErrors: { field: string; code: string }[] };
        }>(UPDATE_POLICY, { p }, admin)
      ).data!.updateTierPolicy;
    const over = await refused({
      kind: "CLV_PERCENTILE",
      bands: [
        { tier: "high", percent: 60 },
        { tier: "mid_high", percent: 50 },
      ],
      otherwise: "low",
      graceDays: 30,
    });
    expect(over.policy).toBeNull();
    expect(over.userErrors.map((e) => e.code)).toContain("PERCENT_TOTAL_OVER_100");
    const unknown = await refused({
      kind: "CLV_THRESHOLD",
      thresholds: [{ tier: "gold", minAmount: "500.00" }],
      otherwise: "low",
      graceDays: 0,
    });
    expect(unknown.userErrors[0]).toMatchObject({ code: "POLICY_TIER_UNKNOWN" });
    expect(unknown.userErrors[0]!.field).toMatch(/^input\.policy\./);
    const amount = await refused({
      kind: "CLV_THRESHOLD",
      thresholds: [{ tier: "high", minAmount: "5.001" }],
      otherwise: "low",
      graceDays: 0,
    });
    expect(amount.userErrors[0]).toMatchObject({
      field: "input.thresholds.0.minAmount",
      code: "INVALID_AMOUNT",
    });
    const grace = await refused({
      kind: "CLV_PERCENTILE",
      bands: [{ tier: "high", percent: 5 }],
      otherwise: "low",
      graceDays: -1,
    });
    expect(grace.userErrors).toEqual([
      expect.objectContaining({ field: "input.graceDays", code: "GRACE_OUT_OF_RANGE" }),
    ]);
    // Nothing of it was saved.
    const policy = await api.gql<{ tierPolicy: { kind: string } }>(POLICY, {}, admin);
    expect(policy.data!.tierPolicy.kind).toBe("CLV_PERCENTILE");
  });

  it("creates, renames, reorders and deletes tiers, keeping the policy's tiers", async () => {
    const created = await api.gql<{ createTier: { tier: { key: string; rank: number } } }>(
      'mutation { createTier(input: { key: "vip", name: "VIP", benefits: "Free shipping" }) { tier { key rank } userErrors { code } } }',
      {},
      admin,
    );
    expect(created.data!.createTier.tier).toEqual({ key: "vip", rank: 5 });
    const renamed = await api.gql<{ updateTier: { tier: { name: string } } }>(
      'mutation { updateTier(input: { key: "vip", name: "Very important" }) { tier { name } userErrors { code } } }',
      {},
      admin,
    );
    expect(renamed.data!.updateTier.tier.name).toBe("Very important");
    const bad = await api.gql<{ reorderTiers: { userErrors: { code: string }[] } }>(
      'mutation { reorderTiers(keys: ["vip", "high"]) { tiers { key } userErrors { code } } }',
      {},
      admin,
    );
    expect(bad.data!.reorderTiers.userErrors[0]!.code).toBe("NOT_A_PERMUTATION");
    const reordered = await api.gql<{ reorderTiers: { tiers: { key: string; rank: number }[] } }>(
      'mutation { reorderTiers(keys: ["vip", "high", "mid_high", "mid_low", "low"]) { tiers { key rank } userErrors { code } } }',
      {},
      admin,
    );
    expect(reordered.data!.reorderTiers.tiers.map((t) => t.key)).toEqual([
      "vip",
      "high",
      "mid_high",
      "mid_low",
      "low",
    ]);
    const inPolicy = await api.gql<{ deleteTier: { userErrors: { code: string }[] } }>(
      'mutation { deleteTier(key: "high", moveMembersTo: "low") { deletedKey userErrors { code } } }',
      {},
      admin,
    );
    expect(inPolicy.data!.deleteTier.userErrors[0]!.code).toBe("TIER_IN_POLICY");
    const deleted = await api.gql<{ deleteTier: { deletedKey: string } }>(
      'mutation { deleteTier(key: "vip", moveMembersTo: "low") { deletedKey userErrors { code } } }',
      {},
      admin,
    );
    expect(deleted.data!.deleteTier.deletedKey).toBe("vip");
    await api.gql(
      'mutation { reorderTiers(keys: ["high", "mid_high", "mid_low", "low"]) { userErrors { code } } }',
      {},
      admin,
    );
  });

  it("backtests a policy over the latest runs, with and without grace", async () => {
    // Ten customers and three succeeded runs: customer k has CLV 100·k in run 1; in run 2 the
    // top three drop to 0; in run 3 they are back.
    const ds = api.db.dataSource;
    for (let k = 1; k <= 10; k++) {
      await ds.query(
        "INSERT INTO customers (external_id, name, first_seen_at) VALUES (?, '', '2024-01-01 00:00:00.000')",
        [`T${k}`],
      );
    }
    const ids = (
      (await ds.query("SELECT id FROM customers WHERE external_id LIKE 'T%' ORDER BY id")) as {
        id: number;
      }[]
    ).map((r) => Number(r.id));
    const days = ["2025-01-01", "2025-01-08", "2025-03-01"];
    for (const [run, day] of days.entries()) {
      await ds.query(
        "INSERT INTO scoring_runs (status, progress, phase, heartbeat_at, created_at, finished_at, settings_json, triggered_by) " +
          "VALUES ('succeeded', 1, 'done', ?, ?, ?, '{}', 'test')",
        [`${day} 00:00:00.000`, `${day} 00:00:00.000`, `${day} 00:00:00.000`],
      );
      const rows = (await ds.query("SELECT MAX(id) AS id FROM scoring_runs")) as { id: number }[];
      for (const [i, id] of ids.entries()) {
        const k = i + 1;
        const clv = run === 1 && k >= 8 ? 0 : 100_00 * k;
        await ds.query(
          "INSERT INTO customer_values (run_id, customer_id, clv_minor, historical_value_minor, margin_minor, orders, frequency) VALUES (?, ?, ?, 0, 0, 0, 0)",
          [rows[0]!.id, id, clv],
        );
      }
    }
    const thresholds = (graceDays: number) => ({
      kind: "CLV_THRESHOLD",
      thresholds: [
        { tier: "high", minAmount: "800.00" },
        { tier: "mid_high", minAmount: "500.00" },
      ],
      otherwise: "low",
      graceDays,
    });
    const run = async (graceDays: number) =>
      (
        await api.gql<{
          tierBacktest: {
            tiers: { key: string; count: number }[];
            runs: { upgrades: number; downgrades: number }[];
          };
        }>(BACKTEST, { p: thresholds(graceDays) }, admin)
      ).data!.tierBacktest;
    // Without grace the three fall to low at run 2 and climb back at run 3.
    const now = await run(0);
    expect(now.runs).toEqual([
      { upgrades: 0, downgrades: 0 },
      { upgrades: 0, downgrades: 3 },
      { upgrades: 3, downgrades: 0 },
    ]);
    expect(now.tiers).toEqual([
      { key: "high", count: 3 },
      { key: "mid_high", count: 3 },
      { key: "mid_low", count: 0 },
      { key: "low", count: 4 },
    ]);
    // With 30 days of grace the one-week dip changes nobody's tier.
    const graced = await run(30);
    expect(graced.runs).toEqual([
      { upgrades: 0, downgrades: 0 },
      { upgrades: 0, downgrades: 0 },
      { upgrades: 0, downgrades: 0 },
    ]);
  });

  it("shows and checks the RFM group rules, lifecycle thresholds and clusters", async () => {
    const res = await api.gql<{
      segmentationSettings: {
        rfmGrid: string[][];
        clusters: number;
        lifecycle: { newWithinDays: number };
      };
    }>("{ segmentationSettings { rfmGrid clusters lifecycle { newWithinDays } } }", {}, admin);
    const settings = res.data!.segmentationSettings;
    expect(settings.rfmGrid[4]).toEqual(["NEW", "PROMISING", "ACTIVE", "CHAMPIONS", "CHAMPIONS"]);
    expect(settings.rfmGrid[0]).toEqual([
      "DORMANT",
      "DORMANT",
      "ALMOST_LOST",
      "PREVIOUSLY_LOYAL",
      "PREVIOUSLY_LOYAL",
    ]);
    expect(settings.clusters).toBe(4);
    expect(settings.lifecycle.newWithinDays).toBe(90);
    const refused = await api.gql<{
      updateSegmentationSettings: {
        settings: unknown;
        userErrors: { field: string; code: string }[];
      };
    }>(
      `mutation($input: SegmentationSettingsInput!) { updateSegmentationSettings(input: $input) { settings { clusters } userErrors { field code } } }`,
      {
        input: {
          rfmRules: [{ group: "LOYAL", rFrom: 1, rTo: 5, fmFrom: 1, fmTo: 4 }],
          lifecycle: {
            newWithinDays: 90,
            churnedPAliveBelow: 0.1,
            churnedAfterDays: 365,
            decliningPAliveBelow: 0.5,
            decliningGapMultiple: 2,
            growingTenureDays: 365,
            highRiskPAliveBelow: 0.3,
            mediumRiskPAliveBelow: 0.7,
          },
          clusters: 4,
        },
      },
      admin,
    );
    const payload = refused.data!.updateSegmentationSettings;
    expect(payload.settings).toBeNull();
    // FM = 5 is in no group for any R: each such cell is named.
    expect(payload.userErrors.length).toBeGreaterThan(0);
    expect(payload.userErrors[0]!.field).toMatch(/^input\.rfmRules/);
  });

  it("lets storefront keys read the tiers but not how many customers are in each", async () => {
    const key = await api.gql<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(input: { name: "shop", scopes: ["customers:read"] }) { secret } }',
      {},
      admin,
    );
    const secret = key.data!.createApiKey.secret;
    const names = await api.gql<{ tiers: { key: string }[] }>("{ tiers { key name } }", {}, secret);
    expect(names.data!.tiers).toHaveLength(4);
    const counts = await api.gql("{ tiers { key customersCount } }", {}, secret);
    expect(counts.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
