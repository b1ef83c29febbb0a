import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../testing/test-server";
import { systemActor } from "../modules/audit/audit.service";
import { ImportService } from "../modules/import/import.service";
import { ScoringRunService } from "../modules/value/scoring-run.service";

// Tier qualification by points or spend in a window (issue 10, item 4), on MySQL: a points policy
// with a 12-month window places customers by the points they earned (redemptions do not lower
// them, refunds do); an earn over a better tier's threshold moves the customer up at once (with
// a tier.changed event); when the window moves past their points (controlled clock) they keep
// the tier until the grace period has passed; nextTier.pointsNeeded / spendNeeded through GraphQL.

const cli = systemActor("test");
const DAY = 86_400_000;

const SETTINGS = `mutation($input: LoyaltySettingsInput!) { updateLoyaltySettings(input: $input) { userErrors { field code message } } }`;
const POLICY = `mutation($input: TierPolicyInput!) { updateTierPolicy(input: $input) {
  policy { kind windowMonths thresholds { tier minAmount minPoints } otherwise graceDays }
  userErrors { field code message } } }`;
const LOYALTY = `query($e: String!) { customer(externalId: $e) { id loyalty {
  balance tier { key } nextTier { key name pointsNeeded spendNeeded } } } }`;
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { userErrors { code message } } }`;
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { userErrors { code message } } }`;
const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { redemption { id } userErrors { code message } } }`;
const REWARD = `mutation($input: CreateRewardInput!) { createReward(input: $input) { reward { id } userErrors { code message } } }`;
const RECORD = `mutation($input: [OrderInput!]!) { recordOrders(input: $input) { imported userErrors { code message } } }`;

interface Loyalty {
  balance: number;
  tier: { key: string } | null;
  nextTier: {
    key: string;
    name: string | null;
    pointsNeeded: number | null;
    spendNeeded: string | null;
  } | null;
}

/** Order j of customer K(i + 1), in whole dollars, placed in 2025. */
const amountOf = (i: number, j: number) => 5 + ((i * 31 + j * 7) % 29);
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

describe("tier qualification by points or spend (MySQL)", () => {
  let api: TestApi;
  let admin: string;
  let storefront: string;
  let clock = new Date("2026-01-01T00:00:00Z");
  let scoring: ScoringRunService;
  const ids = new Map<string, string>();

  async function gqlOk<T>(query: string, variables: Record<string, unknown>, token = admin) {
    const res = await api.gql<T>(query, variables, token);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  }

  async function loyalty(externalId: string, token = storefront): Promise<Loyalty> {
    return (await gqlOk<{ customer: { loyalty: Loyalty } }>(LOYALTY, { e: externalId }, token))
      .customer.loyalty;
  }

  async function heldState(externalId: string) {
    const [row] = (await api.db.dataSource.query(
      "SELECT cv.tier_key, cv.tier_pending, cv.tier_below_since FROM customer_values cv " +
        "JOIN customers c ON c.id = cv.customer_id WHERE c.external_id = ? " +
        "AND cv.run_id = (SELECT MAX(id) FROM scoring_runs WHERE status = 'succeeded')",
      [externalId],
    )) as { tier_key: string; tier_pending: string | null; tier_below_since: unknown }[];
    return row!;
  }

  const policy = (input: Record<string, unknown>) =>
    gqlOk<{ updateTierPolicy: { policy: unknown; userErrors: unknown[] } }>(POLICY, {
      input: { otherwise: "low", graceDays: 30, ...input },
    });

  const points = (externalId: string, n: number, key: string, mutation = ADJUST) =>
    gqlOk<Record<string, { userErrors: unknown[] }>>(mutation, {
      input: { customerId: ids.get(externalId), points: n, reason: "test", idempotencyKey: key },
    }).then((data) => expect(Object.values(data)[0]!.userErrors).toEqual([]));

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.adminToken();
    const key = await gqlOk<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(input: { name: "shop", scopes: ["customers:read", "loyalty:write", "orders:write"] }) { secret } }',
      {},
    );
    storefront = key.createApiKey.secret;
    const settings = await gqlOk<{ updateLoyaltySettings: { userErrors: unknown[] } }>(SETTINGS, {
      input: {
        earnBasis: "AMOUNT",
        pointsPerUnit: "1",
        rounding: "FLOOR",
        tierMultipliers: [],
        pendingDays: 0,
        expiry: { kind: "ROLLING", days: 3650 },
        negativeBalance: "CAP_AT_ZERO",
        costPerPointMinor: "1",
        bonusEvents: [],
      },
    });
    expect(settings.updateLoyaltySettings.userErrors).toEqual([]);
    // Twenty customers with 2025 orders recorded without points (an import without earning),
    // so that the scoring run has a base to fit.
    const imports = new ImportService(api.db.dataSource, { currency: "USD" });
    await imports.upsertCustomers(
      Array.from({ length: 20 }, (_, i) => ({
        external_id: `K${i + 1}`,
        created_at: "2025-01-01",
      })),
      cli,
    );
    expect((await imports.recordOrders(orders, cli)).counts.rejected).toBe(0);
    const rows: { id: number | string; external_id: string }[] = await api.db.dataSource.query(
      "SELECT id, external_id FROM customers",
    );
    for (const row of rows) ids.set(row.external_id, String(row.id));
    scoring = new ScoringRunService(api.db.dataSource, {
      currency: "USD",
      defaultMarginRate: "0.3",
      clock: () => clock,
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  it("refuses a bad window or a points threshold without points, saying where", async () => {
    const bad = await policy({
      kind: "POINTS_THRESHOLD",
      windowMonths: 37,
      thresholds: [{ tier: "high", minPoints: 100 }, { tier: "mid_high" }],
    });
    expect(bad.updateTierPolicy.userErrors).toEqual([
      expect.objectContaining({ field: "input.thresholds.1.minPoints", code: "INVALID_POINTS" }),
    ]);
    const window = await policy({
      kind: "SPEND_THRESHOLD",
      windowMonths: 0,
      thresholds: [{ tier: "high", minAmount: "100.00" }],
    });
    expect(window.updateTierPolicy.userErrors).toEqual([
      expect.objectContaining({ field: "input.policy.windowMonths", code: "WINDOW_OUT_OF_RANGE" }),
    ]);
  });

  it("places customers by the spend in a window, and gives the spend still needed", async () => {
    // Six months back from 2026-01-01: only the orders of July to December 2025 count.
    const inWindow = new Map<string, number>();
    for (const o of orders) {
      if (o.placed_at < "2025-07-01") continue;
      const cents = Number(o.amount.replace(".", ""));
      inWindow.set(o.customer_external_id, (inWindow.get(o.customer_external_id) ?? 0) + cents);
    }
    const lifetime = new Map<string, number>();
    for (const o of orders) {
      const cents = Number(o.amount.replace(".", ""));
      lifetime.set(o.customer_external_id, (lifetime.get(o.customer_external_id) ?? 0) + cents);
    }
    // K12's window spend is the bar for high: K12 is high, K11 is not, though K11's lifetime
    // spend would be more than enough.
    const bar = inWindow.get("K12")!;
    expect(inWindow.get("K11")!).toBeLessThan(bar);
    expect(lifetime.get("K11")!).toBeGreaterThanOrEqual(bar);
    const saved = await policy({
      kind: "SPEND_THRESHOLD",
      windowMonths: 6,
      thresholds: [{ tier: "high", minAmount: (bar / 100).toFixed(2) }],
    });
    expect(saved.updateTierPolicy.userErrors).toEqual([]);
    expect(saved.updateTierPolicy.policy).toMatchObject({
      kind: "SPEND_THRESHOLD",
      windowMonths: 6,
    });
    clock = new Date("2026-01-01T00:00:00Z");
    await scoring.runNow(cli);
    for (const [id, spent] of inWindow) {
      expect((await heldState(id)).tier_key, id).toBe(spent >= bar ? "high" : "low");
    }
    expect((await heldState("K11")).tier_key).toBe("low");
    expect((await heldState("K12")).tier_key).toBe("high");

    // Through GraphQL (now is later than the run: a 36-month window holds every 2025 order):
    // the spend K11 still needs, in dollars.
    await policy({
      kind: "SPEND_THRESHOLD",
      windowMonths: 36,
      thresholds: [{ tier: "high", minAmount: "1000.00" }],
    });
    const k11 = await loyalty("K11");
    expect(k11.tier).toEqual({ key: "low" });
    expect(k11.nextTier).toEqual({
      key: "high",
      name: "High value",
      pointsNeeded: null,
      spendNeeded: ((100_000 - lifetime.get("K11")!) / 100).toFixed(2),
    });

    // An order recorded over the threshold moves K11 up in the same call.
    const needed = 100_000 - lifetime.get("K11")!;
    const recorded = await gqlOk<{ recordOrders: { imported: number } }>(
      RECORD,
      {
        input: [
          {
            externalId: "K11-big",
            customerExternalId: "K11",
            placedAt: new Date().toISOString(),
            amount: (needed / 100).toFixed(2),
            currency: "USD",
            status: "COMPLETED",
          },
        ],
      },
      storefront,
    );
    expect(recorded.recordOrders.imported).toBe(1);
    expect((await loyalty("K11")).tier).toEqual({ key: "high" });
    expect((await heldState("K11")).tier_key).toBe("high");
  });

  it("places customers by the points they earned in 12 months; an earn over a threshold upgrades at once", async () => {
    const saved = await policy({
      kind: "POINTS_THRESHOLD",
      windowMonths: 12,
      thresholds: [
        { tier: "high", minPoints: 1000 },
        { tier: "mid_high", minPoints: 500 },
      ],
    });
    expect(saved.updateTierPolicy).toMatchObject({
      userErrors: [],
      policy: {
        kind: "POINTS_THRESHOLD",
        windowMonths: 12,
        thresholds: [
          { tier: "high", minAmount: null, minPoints: 1000 },
          { tier: "mid_high", minAmount: null, minPoints: 500 },
        ],
      },
    });
    // K1: 1,200 points by adjustment. K2: 600 earned, then a 500-point reward redeemed (and the
    // redemption given back would not count either). K3: 300. K4: 700 from an order, refunded.
    await points("K1", 1200, "k1-a");
    await points("K2", 600, "k2-e", EARN);
    const reward = await gqlOk<{ createReward: { reward: { id: string } } }>(REWARD, {
      input: { name: "Lamp", pointsCost: 500, tierKeys: [], couponPrefix: "LAMP" },
    });
    const redeemed = await gqlOk<{ redeemReward: { redemption: { id: string } | null } }>(REDEEM, {
      input: {
        customerId: ids.get("K2"),
        rewardId: reward.createReward.reward.id,
        idempotencyKey: "k2-r",
      },
    });
    expect(redeemed.redeemReward.redemption).not.toBeNull();
    await points("K3", 300, "k3-a");
    const order = (status: string) => ({
      externalId: "K4-points",
      customerExternalId: "K4",
      placedAt: "2025-12-20T00:00:00Z",
      amount: "700.00",
      currency: "USD",
      status,
    });
    await gqlOk(RECORD, { input: [order("COMPLETED")] }, storefront);
    await gqlOk(RECORD, { input: [order("REFUNDED")] }, storefront);

    clock = new Date();
    await scoring.runNow(cli);
    expect((await heldState("K1")).tier_key).toBe("high");
    expect((await heldState("K2")).tier_key).toBe("mid_high"); // 600 earned, 100 left to spend
    expect((await heldState("K3")).tier_key).toBe("low");
    // K4's order lifted it to mid_high at once; the refund took the points back, so the run
    // computes low, and K4 keeps mid_high through the grace period.
    expect(await heldState("K4")).toMatchObject({ tier_key: "mid_high", tier_pending: "low" });
    expect((await heldState("K5")).tier_key).toBe("low");

    // What it takes, through GraphQL.
    expect((await loyalty("K1")).nextTier).toBeNull();
    expect((await loyalty("K2")).nextTier).toEqual({
      key: "high",
      name: "High value",
      pointsNeeded: 400,
      spendNeeded: null,
    });
    expect((await loyalty("K3")).nextTier).toMatchObject({ key: "mid_high", pointsNeeded: 200 });

    // An earn over mid_high's threshold moves K3 up in the same call, with a tier.changed event.
    const hook = await gqlOk<{ createWebhookEndpoint: { userErrors: unknown[] } }>(
      'mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/hook", events: ["tier.changed"] }) { userErrors { code message } } }',
      {},
    );
    expect(hook.createWebhookEndpoint.userErrors).toEqual([]);
    await points("K3", 150, "k3-b", EARN);
    expect((await loyalty("K3")).tier).toEqual({ key: "low" }); // 450: not yet
    await points("K3", 60, "k3-c", EARN);
    const k3 = await loyalty("K3");
    expect(k3.tier).toEqual({ key: "mid_high" });
    expect(k3.nextTier).toMatchObject({ key: "high", pointsNeeded: 490 });
    const events: { event_key: string; payload_json: string }[] = await api.db.dataSource.query(
      "SELECT event_key, payload_json FROM webhook_events WHERE type = 'tier.changed'",
    );
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.payload_json)).toMatchObject({
      customerId: "K3",
      previousTier: "low",
      tier: "mid_high",
    });
    // Spending points, or a negative adjustment, moves nobody.
    await points("K1", -100, "k1-b");
    expect((await heldState("K1")).tier_key).toBe("high");

    // A backtest of the points policy uses today's qualifying points: K1 (1,200) high; K2 (600),
    // K3 (510) and K11 (its big order earned a point a dollar) mid_high; K4 (refunded) and
    // everyone else low.
    const backtest = await gqlOk<{
      tierBacktest: { tiers: { key: string; count: number }[] | null; userErrors: unknown[] };
    }>(
      `query($policy: TierPolicyInput!) { tierBacktest(policy: $policy, runs: 1) {
        tiers { key count } userErrors { code message } } }`,
      {
        policy: {
          kind: "POINTS_THRESHOLD",
          windowMonths: 12,
          thresholds: [
            { tier: "high", minPoints: 1000 },
            { tier: "mid_high", minPoints: 500 },
          ],
          otherwise: "low",
          graceDays: 30,
        },
      },
    );
    expect(backtest.tierBacktest.userErrors).toEqual([]);
    expect(backtest.tierBacktest.tiers).toEqual([
      { key: "high", count: 1 },
      { key: "mid_high", count: 3 },
      { key: "mid_low", count: 0 },
      { key: "low", count: 16 },
    ]);
  });

  it("keeps an upgrade an earn made while a scoring run was under way", async () => {
    // K5 has no points: the run reads that, then K5 earns 600 (mid_high at once) before the run
    // finishes. The run computed low from what it read; the upgrade still stands after it.
    expect((await heldState("K5")).tier_key).toBe("low");
    clock = new Date();
    let earned = false;
    await scoring.runNow(cli, {
      onProgress: async ({ phase }) => {
        if (phase !== "scoring" || earned) return;
        earned = true;
        await points("K5", 600, "k5-during-run", EARN);
        expect((await heldState("K5")).tier_key).toBe("mid_high");
      },
    });
    expect(earned).toBe(true);
    expect(await heldState("K5")).toMatchObject({ tier_key: "mid_high", tier_pending: null });
    // Its tier.changed event was the earn's; the run adds none for it.
    const events: { payload_json: string }[] = await api.db.dataSource.query(
      "SELECT payload_json FROM webhook_events WHERE type = 'tier.changed'",
    );
    expect(
      events.map((e) => JSON.parse(e.payload_json)).filter((p) => p.customerId === "K5"),
    ).toEqual([expect.objectContaining({ previousTier: "low", tier: "mid_high" })]);
  });

  it("keeps the tier when the window moves past the points until the grace period has passed", async () => {
    const earnedAt = Date.now();
    // 13 months on, every point earned today is out of the window: K1 computes low but keeps
    // high for 30 days of grace, K3 keeps the mid_high its earn gave it.
    clock = new Date(earnedAt + 396 * DAY);
    await scoring.runNow(cli);
    expect(await heldState("K1")).toMatchObject({ tier_key: "high", tier_pending: "low" });
    expect(await heldState("K3")).toMatchObject({ tier_key: "mid_high", tier_pending: "low" });
    clock = new Date(earnedAt + 416 * DAY);
    await scoring.runNow(cli);
    expect((await heldState("K1")).tier_key).toBe("high"); // 20 days below
    clock = new Date(earnedAt + 427 * DAY);
    await scoring.runNow(cli);
    expect((await heldState("K1")).tier_key).toBe("low"); // 31 days below: downgraded
    expect((await heldState("K3")).tier_key).toBe("low");
    expect((await heldState("K2")).tier_key).toBe("low");
  });
});
