import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../testing/test-server";
import { reconcileLoyalty } from "../modules/loyalty/loyalty-reconcile";

const SETTINGS = `mutation($input: LoyaltySettingsInput!) { updateLoyaltySettings(input: $input) {
  settings { pendingDays expiry { kind days } } userErrors { field code message } } }`;
const UPSERT = `mutation($input: [CustomerInput!]!) { upsertCustomers(input: $input) { userErrors { code message } } }`;
const RECORD = `mutation($input: [OrderInput!]!) { recordOrders(input: $input) { imported userErrors { field code message } } }`;
const CUSTOMER = `query($e: String!) { customer(externalId: $e) { id loyalty {
  balance available pending lifetimeEarned redeemed expired expiringSoon { points expiresAt }
  tier { key } nextTier { key pointsNeeded }
  ledger(first: 50) { totalCount edges { node { seq type points reason source sourceKind operation lots { lot points lotSource } } } }
} } }`;
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) {
  entry { seq points type } account { balance available pending } replayed userErrors { field code message } } }`;
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) {
  entry { seq points } account { balance } replayed userErrors { field code message } } }`;
const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) {
  redemption { id code } account { balance } replayed userErrors { field code message } } }`;
const REVERSE = `mutation($input: ReverseRedemptionInput!) { reverseRedemption(input: $input) {
  redemption { id status } account { balance } replayed userErrors { field code message } } }`;
const CREATE_REWARD = `mutation($input: CreateRewardInput!) { createReward(input: $input) { reward { id remaining } userErrors { field code message } } }`;
const KEY = `mutation($scopes: [String!]!) { createApiKey(input: { name: "storefront", scopes: $scopes }) { secret userErrors { code message } } }`;

interface Loyalty {
  balance: number;
  available: number;
  pending: number;
  lifetimeEarned: number;
  redeemed: number;
  expired: number;
  ledger: {
    totalCount: number;
    edges: { node: { type: string; points: number; lots: { points: number }[] } }[];
  };
}

describe("loyalty over GraphQL (MySQL)", () => {
  let api: TestApi;
  let admin: string;
  let storefront: string;
  const customerIds = new Map<string, string>();

  async function gqlOk<T>(query: string, variables: Record<string, unknown>, token = admin) {
    const res = await api.gql<T>(query, variables, token);
    expect(res.errors).toBeUndefined();
    return res.data!;
  }

  async function customer(externalId: string): Promise<{ id: string; loyalty: Loyalty }> {
    const data = await gqlOk<{ customer: { id: string; loyalty: Loyalty } }>(CUSTOMER, {
      e: externalId,
    });
    return data.customer;
  }

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.adminToken();
    const settings = await gqlOk<{ updateLoyaltySettings: { userErrors: unknown[] } }>(SETTINGS, {
      input: {
        earnBasis: "AMOUNT",
        pointsPerUnit: "1",
        rounding: "FLOOR",
        tierMultipliers: [],
        pendingDays: 0,
        expiry: { kind: "ROLLING", days: 365 },
        negativeBalance: "CAP_AT_ZERO",
        costPerPointMinor: "0.5",
        bonusEvents: [{ event: "birthday", points: 50 }],
      },
    });
    expect(settings.updateLoyaltySettings.userErrors).toEqual([]);
    await gqlOk(UPSERT, {
      input: ["ann", "bob", "cat"].map((id) => ({
        externalId: id,
        name: id,
        createdAt: "2025-01-01T00:00:00Z",
      })),
    });
    for (const id of ["ann", "bob", "cat"]) customerIds.set(id, (await customer(id)).id);
    const key = await gqlOk<{ createApiKey: { secret: string } }>(KEY, {
      scopes: ["customers:read", "loyalty:write", "orders:write"],
    });
    storefront = key.createApiKey.secret;
  });

  afterAll(async () => {
    await api?.close();
  });

  it("recordOrders earns in the same transaction; a refund reverses it", async () => {
    const order = (externalId: string, amount: string, status = "COMPLETED") => ({
      externalId,
      customerExternalId: "ann",
      placedAt: "2026-01-10T10:00:00Z",
      amount,
      currency: "USD",
      status,
    });
    const recorded = await gqlOk<{ recordOrders: { imported: number; userErrors: unknown[] } }>(
      RECORD,
      { input: [order("o1", "80.99"), order("o2", "20.00")] },
      storefront,
    );
    expect(recorded.recordOrders).toMatchObject({ imported: 2, userErrors: [] });
    let ann = await customer("ann");
    expect(ann.loyalty).toMatchObject({ balance: 100, available: 100, lifetimeEarned: 100 });
    // Each earn made a lot (one lot change of +points) and was activated at once.
    const earns = ann.loyalty.ledger.edges.filter((e) => e.node.type === "EARN");
    expect(earns.map((e) => e.node.lots.map((l) => l.points))).toEqual([[20], [80]]);
    await gqlOk(RECORD, { input: [order("o2", "20.00", "REFUNDED")] }, storefront);
    ann = await customer("ann");
    expect(ann.loyalty).toMatchObject({ balance: 80, available: 80, lifetimeEarned: 100 });
    // Recording the refund again reverses nothing more.
    await gqlOk(RECORD, { input: [order("o2", "20.00", "REFUNDED")] }, storefront);
    expect((await customer("ann")).loyalty.balance).toBe(80);
  });

  it("API keys with loyalty:write earn and redeem; adjustPoints is for admins only", async () => {
    const id = customerIds.get("cat")!;
    const earned = await gqlOk<{ earnPoints: { account: { balance: number } } }>(
      EARN,
      { input: { customerId: id, points: 30, reason: "review", idempotencyKey: "cat-1" } },
      storefront,
    );
    expect(earned.earnPoints.account.balance).toBe(30);
    const refused = await api.gql(
      ADJUST,
      { input: { customerId: id, points: 5, reason: "x", idempotencyKey: "cat-2" } },
      storefront,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const adjusted = await gqlOk<{ adjustPoints: { account: { balance: number } } }>(ADJUST, {
      input: { customerId: id, points: -10, reason: "double credit", idempotencyKey: "cat-3" },
    });
    expect(adjusted.adjustPoints.account.balance).toBe(20);
    const noReason = await gqlOk<{ adjustPoints: { userErrors: { code: string }[] } }>(ADJUST, {
      input: { customerId: id, points: 5, reason: " ", idempotencyKey: "cat-4" },
    });
    expect(noReason.adjustPoints.userErrors[0]?.code).toBe("INVALID_TEXT");
  });

  it("200 concurrent redemptions of a balance worth 10: exactly 10 succeed, no code repeats", async () => {
    const id = customerIds.get("bob")!;
    const reward = await gqlOk<{ createReward: { reward: { id: string } } }>(CREATE_REWARD, {
      input: { name: "Tote bag", pointsCost: 100, tierKeys: [], couponPrefix: "TOTE" },
    });
    const rewardId = reward.createReward.reward.id;
    await gqlOk(
      EARN,
      { input: { customerId: id, points: 1000, reason: "launch", idempotencyKey: "bob-earn" } },
      storefront,
    );
    type Redeemed = {
      redeemReward: {
        redemption: { id: string; code: string } | null;
        account: { balance: number } | null;
        replayed: boolean;
        userErrors: { code: string }[];
      };
    };
    const calls = Array.from({ length: 200 }, (_, i) =>
      api.gql<Redeemed>(
        REDEEM,
        { input: { customerId: id, rewardId, idempotencyKey: `bob-r${i}` } },
        storefront,
      ),
    );
    const results = await Promise.all(calls);
    for (const r of results) expect(r.errors).toBeUndefined();
    const won = results.filter((r) => r.data!.redeemReward.redemption !== null);
    const lost = results.filter((r) => r.data!.redeemReward.redemption === null);
    expect(won).toHaveLength(10);
    expect(new Set(lost.map((r) => r.data!.redeemReward.userErrors[0]?.code))).toEqual(
      new Set(["INSUFFICIENT_POINTS"]),
    );
    const codes = won.map((r) => r.data!.redeemReward.redemption!.code);
    expect(new Set(codes).size).toBe(10);
    const bob = await customer("bob");
    expect(bob.loyalty).toMatchObject({ balance: 0, available: 0, redeemed: 1000 });

    // A repeated key returns the first result and changes nothing.
    const first = won[0]!;
    const key = `bob-r${results.indexOf(first)}`;
    await gqlOk(
      EARN,
      { input: { customerId: id, points: 100, reason: "top-up", idempotencyKey: "bob-top" } },
      storefront,
    );
    const again = await gqlOk<Redeemed>(
      REDEEM,
      { input: { customerId: id, rewardId, idempotencyKey: key } },
      storefront,
    );
    expect(again.redeemReward).toMatchObject({
      replayed: true,
      redemption: first.data!.redeemReward.redemption,
      account: { balance: 100 },
    });
    const [stored] = (await api.db.dataSource.query(
      "SELECT COUNT(*) AS n FROM loyalty_redemptions WHERE account_id = ?",
      [Number(id)],
    )) as { n: number | string }[];
    expect(Number(stored?.n)).toBe(10);

    // A reversal gives the points back once; its repeat is a replay.
    const redemptionId = first.data!.redeemReward.redemption!.id;
    const reverse = (k: string) =>
      gqlOk<{ reverseRedemption: { account: { balance: number }; replayed: boolean } }>(REVERSE, {
        input: { redemptionId, reason: "damaged in transit", idempotencyKey: k },
      });
    expect((await reverse("bob-rev")).reverseRedemption).toMatchObject({
      replayed: false,
      account: { balance: 200 },
    });
    expect((await reverse("bob-rev")).reverseRedemption).toMatchObject({
      replayed: true,
      account: { balance: 200 },
    });
  });

  it("the ledger reconciles after the mixed sequence: balance = Σ entries = Σ open lots", async () => {
    const report = await reconcileLoyalty(api.db.dataSource);
    expect(report.accounts).toBe(3);
    expect(report).toMatchObject({ drift: [], lotDrift: [], entryDrift: [], accountsWithDrift: 0 });
    for (const name of ["ann", "bob", "cat"]) {
      const { loyalty } = await customer(name);
      const entrySum = loyalty.ledger.edges.reduce((s, e) => s + e.node.points, 0);
      expect(loyalty.ledger.totalCount).toBe(loyalty.ledger.edges.length);
      expect(entrySum).toBe(loyalty.balance);
    }
  });

  it("a page of customers reads every customer's points (batched)", async () => {
    const res = await gqlOk<{
      customers: { edges: { node: { externalId: string; loyalty: { balance: number } } }[] };
    }>(
      "{ customers(first: 10) { edges { node { externalId loyalty { balance } } } } }",
      {},
      storefront,
    );
    const balances = Object.fromEntries(
      res.customers.edges.map((e) => [e.node.externalId, e.node.loyalty.balance]),
    );
    expect(balances).toEqual({ ann: 80, bob: 200, cat: 20 });
  });

  it("runLoyaltyJob starts a job on the runner; loyalty job schedules are set by kind", async () => {
    const started = await gqlOk<{ runLoyaltyJob: { id: string; kind: string } }>(
      "mutation { runLoyaltyJob(kind: RECONCILE) { id kind } }",
      {},
    );
    expect(started.runLoyaltyJob.kind).toBe("loyalty-reconcile");
    let job: { status: string; result: string | null } | undefined;
    for (let i = 0; i < 100; i++) {
      const res = await gqlOk<{
        jobs: { edges: { node: { status: string; result: string | null } }[] };
      }>('{ jobs(kind: "loyalty-reconcile", first: 1) { edges { node { status result } } } }', {});
      job = res.jobs.edges[0]?.node;
      if (job?.status === "SUCCEEDED") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job?.status).toBe("SUCCEEDED");
    expect(JSON.parse(job!.result!)).toMatchObject({ accounts: 3, accountsWithDrift: 0 });
    const forbidden = await api.gql(
      "mutation { runLoyaltyJob(kind: EXPIRE) { id } }",
      {},
      storefront,
    );
    expect(forbidden.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const scheduled = await gqlOk<{
      updateLoyaltyJobSchedule: { schedule: { enabled: boolean; timeOfDay: string } };
    }>(
      `mutation { updateLoyaltyJobSchedule(kind: EXPIRE, input: { enabled: true, mode: DAILY, timeOfDay: "03:30", timeZone: "UTC" }) {
        schedule { enabled timeOfDay } userErrors { field code message } } }`,
      {},
    );
    expect(scheduled.updateLoyaltyJobSchedule.schedule).toEqual({
      enabled: true,
      timeOfDay: "03:30",
    });
  });

  it("loyaltyEconomics: liability at cost per point, rates from the ledger", async () => {
    const res = await gqlOk<{
      loyaltyEconomics: {
        availablePoints: number;
        liabilityMinor: string;
        liability: string;
        earned: number;
        redeemed: number;
        redemptionRate: { decimal: string } | null;
        expiring: { days: number }[];
      };
    }>(
      `{ loyaltyEconomics { availablePoints liabilityMinor liability earned redeemed
        redemptionRate { decimal } expiring { days points } tiers { tierKey clv { amount } } } }`,
      {},
    );
    const e = res.loyaltyEconomics;
    // ann 80 + bob 200 + cat 20 points at half a cent each.
    expect(e.availablePoints).toBe(300);
    expect(e.liabilityMinor).toBe("150");
    expect(e.liability).toBe("1.50");
    expect(e.earned).toBe(100 + 30 + 1000 + 100);
    // Ten redemptions of 100, one of them reversed: net of the reversal, like bob's own total.
    expect(e.redeemed).toBe(900);
    expect(e.expiring.map((x) => x.days)).toEqual([30, 60, 90]);
  });
});
