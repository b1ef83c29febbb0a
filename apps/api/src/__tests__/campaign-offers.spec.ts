import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { runInTransaction } from "../db/transaction";
import { CampaignEntity } from "../modules/campaigns/campaign.entity";
import { issueCoupons } from "../modules/campaigns/campaign-coupons";
import { startTestApi, type TestApi } from "../testing/test-server";

// Campaign offers that are not points, against MySQL: a campaign-only reward unlocked for treated
// members while the campaign runs (redeemed by them, refused to control members, non-members and
// everyone once it pauses, hidden from their rewards list), and one unique coupon per treated
// member issued at launch and to later entrants, its face value drawn from a money budget once.

const CAMPAIGN = `id status members { treatment control } budget { kind amount spent exhaustedAt }`;
const CREATE = `mutation($input: CreateCampaignInput!) {
  createCampaign(input: $input) { campaign { ${CAMPAIGN} } userErrors { field code message } } }`;
const move = (name: string) => `mutation($id: ID!) {
  ${name}(id: $id) { campaign { ${CAMPAIGN} } userErrors { field code message } } }`;
const CREATE_REWARD = `mutation($input: CreateRewardInput!) { createReward(input: $input) {
  reward { id campaignOnly } userErrors { field code message } } }`;
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) {
  account { balance } userErrors { field code message } } }`;
const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) {
  redemption { id code } account { balance } userErrors { field code message } } }`;
const REWARDS = `query($customerId: ID) { rewards(customerId: $customerId) { id } }`;
const MEMBERSHIPS = `query($id: ID!) { customer(id: $id) { campaigns { campaign { id } group coupon } } }`;
const RECORD = `mutation($input: [OrderInput!]!) {
  recordOrders(input: $input) { imported userErrors { field code message } } }`;

interface CampaignOut {
  id: string;
  status: string;
  members: { treatment: number; control: number };
  budget: { kind: string; amount: string; spent: string; exhaustedAt: string | null } | null;
}
type Problems = { field: string | null; code: string; message: string }[];

const CUSTOMERS = 300;

describe("campaign offers: reward unlock and coupons", () => {
  let api: TestApi;
  let admin: string;
  let ds: DataSource;
  let ids: number[] = [];
  let key = 0;

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const res = await api.gql<T>(query, variables, admin);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  };
  const create = async (input: Record<string, unknown>) => {
    const out = (
      await gql<{ createCampaign: { campaign: CampaignOut | null; userErrors: Problems } }>(
        CREATE,
        { input },
      )
    ).createCampaign;
    expect(out.userErrors).toEqual([]);
    return out.campaign!;
  };
  const act = async (name: string, id: string) => {
    const out = (
      await gql<Record<string, { campaign: CampaignOut | null; userErrors: Problems }>>(
        move(name),
        { id },
      )
    )[name]!;
    expect(out.userErrors).toEqual([]);
    return out.campaign!;
  };
  const members = async (campaignId: string, grp: "T" | "C") =>
    (
      (await ds.query(
        "SELECT customer_id AS id FROM campaign_members WHERE campaign_id = ? AND grp = ? ORDER BY customer_id",
        [Number(campaignId), grp],
      )) as { id: number | string }[]
    ).map((r) => Number(r.id));
  const coupons = async (campaignId: string) =>
    (
      (await ds.query(
        "SELECT customer_id AS id, code, face_value_minor AS face FROM campaign_coupons WHERE campaign_id = ? ORDER BY customer_id",
        [Number(campaignId)],
      )) as { id: number | string; code: string; face: number | string }[]
    ).map((r) => ({ id: Number(r.id), code: r.code, face: Number(r.face) }));
  const give = async (customerId: number, points: number) => {
    const out = await gql<{ adjustPoints: { userErrors: Problems } }>(ADJUST, {
      input: {
        customerId: String(customerId),
        points,
        reason: "test",
        idempotencyKey: `k-${++key}`,
      },
    });
    expect(out.adjustPoints.userErrors).toEqual([]);
  };
  const redeem = async (customerId: number, rewardId: string) =>
    (
      await gql<{
        redeemReward: { redemption: { id: string; code: string } | null; userErrors: Problems };
      }>(REDEEM, {
        input: { customerId: String(customerId), rewardId, idempotencyKey: `r-${++key}` },
      })
    ).redeemReward;
  const visibleRewards = async (customerId: number) =>
    (
      await gql<{ rewards: { id: string }[] }>(REWARDS, { customerId: String(customerId) })
    ).rewards.map((r) => r.id);

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.adminToken();
    ds = api.db.dataSource;
    await ds.query(
      `INSERT INTO customers (external_id, name, first_seen_at, tags, order_count, total_spent_minor) VALUES ${Array.from(
        { length: CUSTOMERS },
        () => "(?, '', '2024-01-01 00:00:00.000', '', 0, 0)",
      ).join(", ")}`,
      Array.from({ length: CUSTOMERS }, (_, i) => `C-${i + 1}`),
    );
    ids = ((await ds.query("SELECT id FROM customers ORDER BY id")) as { id: number }[]).map((r) =>
      Number(r.id),
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  it("a campaign-only reward: treated members redeem it while the campaign runs, nobody else", async () => {
    const reward = (
      await gql<{ createReward: { reward: { id: string; campaignOnly: boolean } } }>(
        CREATE_REWARD,
        { input: { name: "Members' secret gift", pointsCost: 10, campaignOnly: true } },
      )
    ).createReward.reward;
    expect(reward.campaignOnly).toBe(true);
    const open = (
      await gql<{ createReward: { reward: { id: string } } }>(CREATE_REWARD, {
        input: { name: "Free shipping", pointsCost: 10 },
      })
    ).createReward.reward;
    // Before any campaign: nobody may redeem it, and nobody's list shows it.
    await give(ids[0]!, 100);
    const early = await redeem(ids[0]!, reward.id);
    expect(early.redemption).toBeNull();
    expect(early.userErrors).toEqual([
      expect.objectContaining({ field: "input.rewardId", code: "REWARD_LOCKED" }),
    ]);
    expect(await visibleRewards(ids[0]!)).toEqual([open.id]);

    const campaign = await create({
      name: "Secret gift",
      audience: {
        query: `external_id IN (${ids
          .slice(0, 200)
          .map((_, i) => `'C-${i + 1}'`)
          .join(", ")})`,
      },
      offer: { rewardId: reward.id },
      controlShare: 0.3,
    });
    await act("launchCampaign", campaign.id);
    const treated = await members(campaign.id, "T");
    const control = await members(campaign.id, "C");
    expect(treated.length).toBeGreaterThan(100);
    expect(control.length).toBeGreaterThan(30);
    const outsider = ids[250]!;
    for (const id of [treated[0]!, treated[1]!, control[0]!, outsider]) await give(id, 100);

    const ok = await redeem(treated[0]!, reward.id);
    expect(ok.userErrors).toEqual([]);
    expect(ok.redemption!.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    for (const refused of [control[0]!, outsider]) {
      const out = await redeem(refused, reward.id);
      expect(out.redemption).toBeNull();
      expect(out.userErrors.map((e) => e.code)).toEqual(["REWARD_LOCKED"]);
    }
    expect(await visibleRewards(treated[0]!)).toEqual([reward.id, open.id]);
    expect(await visibleRewards(control[0]!)).toEqual([open.id]);
    expect(await visibleRewards(outsider)).toEqual([open.id]);
    // The admin's catalogue (no customer) still lists it.
    const all = (await gql<{ rewards: { id: string }[] }>(REWARDS, {})).rewards.map((r) => r.id);
    expect(all).toEqual([reward.id, open.id]);

    // Paused, the campaign unlocks nothing; resumed, it does again.
    await act("pauseCampaign", campaign.id);
    expect((await redeem(treated[1]!, reward.id)).userErrors.map((e) => e.code)).toEqual([
      "REWARD_LOCKED",
    ]);
    await act("resumeCampaign", campaign.id);
    expect((await redeem(treated[1]!, reward.id)).userErrors).toEqual([]);
    await act("endCampaign", campaign.id);
    expect((await redeem(treated[0]!, reward.id)).userErrors.map((e) => e.code)).toEqual([
      "REWARD_LOCKED",
    ]);
  });

  it("a campaign unlocks a tier-gated reward for its treated members; control keeps the tier's rule", async () => {
    const reward = (
      await gql<{ createReward: { reward: { id: string } } }>(CREATE_REWARD, {
        input: { name: "High tier lounge", pointsCost: 10, tierKeys: ["high"] },
      })
    ).createReward.reward;
    const campaign = await create({
      name: "Lounge for everyone",
      audience: {
        query: `external_id IN (${ids
          .slice(200, 280)
          .map((_, i) => `'C-${i + 201}'`)
          .join(", ")})`,
      },
      offer: { rewardId: reward.id },
      controlShare: 0.3,
    });
    await act("launchCampaign", campaign.id);
    const treated = (await members(campaign.id, "T"))[0]!;
    const control = (await members(campaign.id, "C"))[0]!;
    await give(treated, 50);
    await give(control, 50);
    expect((await redeem(treated, reward.id)).userErrors).toEqual([]);
    const refused = await redeem(control, reward.id);
    expect(refused.redemption).toBeNull();
    expect(refused.userErrors).toHaveLength(1);
    expect(refused.userErrors[0]!.code).not.toBe("REWARD_LOCKED");
    await act("endCampaign", campaign.id);
  });

  it("coupons: one unique code per treated member at launch, none for control, face value drawn once", async () => {
    const campaign = await create({
      name: "Five off",
      audience: {},
      offer: { coupon: { code: "FIVE", amount: "5.00" } },
      controlShare: 0.25,
      budget: { kind: "MONEY", amount: "100000.00", onExhausted: "STOP_OFFERS" },
    });
    const launched = await act("launchCampaign", campaign.id);
    const treated = await members(campaign.id, "T");
    const control = await members(campaign.id, "C");
    const issued = await coupons(campaign.id);
    expect(issued.map((c) => c.id)).toEqual(treated);
    expect(issued.some((c) => control.includes(c.id))).toBe(false);
    expect(new Set(issued.map((c) => c.code)).size).toBe(issued.length);
    for (const c of issued) {
      expect(c.code).toMatch(/^FIVE-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(c.face).toBe(500);
    }
    expect(launched.budget!.spent).toBe(`${(treated.length * 5).toFixed(0)}.00`);

    // Issuing again (a retried launch, a later entrant already served) adds nothing and draws nothing.
    const again = await runInTransaction(ds, async (manager) => {
      const row = await manager
        .getRepository(CampaignEntity)
        .findOneByOrFail({ id: Number(campaign.id) });
      return issueCoupons(manager, row, [...treated, ...treated.slice(0, 10)], new Date());
    });
    expect(again).toEqual({ issued: 0, unpaid: 0 });
    expect(await coupons(campaign.id)).toEqual(issued);
    const [spent] = (await ds.query("SELECT spent FROM campaigns WHERE id = ?", [
      Number(campaign.id),
    ])) as { spent: string | number }[];
    expect(Number(spent!.spent)).toBe(treated.length * 500);

    // Each customer sees their own code; a control member sees none.
    const mine = await gql<{
      customer: { campaigns: { campaign: { id: string }; group: string; coupon: string | null }[] };
    }>(MEMBERSHIPS, { id: String(treated[3]) });
    expect(mine.customer.campaigns.find((m) => m.campaign.id === campaign.id)).toEqual({
      campaign: { id: campaign.id },
      group: "TREATMENT",
      coupon: issued.find((c) => c.id === treated[3])!.code,
    });
    const theirs = await gql<{
      customer: { campaigns: { campaign: { id: string }; group: string; coupon: string | null }[] };
    }>(MEMBERSHIPS, { id: String(control[0]) });
    expect(theirs.customer.campaigns.find((m) => m.campaign.id === campaign.id)).toEqual({
      campaign: { id: campaign.id },
      group: "CONTROL",
      coupon: null,
    });

    // Results count the coupons issued, at face value.
    const results = await gql<{
      campaign: { results: { cost: { couponsIssued: number; coupons: { amount: string } } } };
    }>(
      `query($id: ID!) { campaign(id: $id) { results { cost { couponsIssued coupons { amount } } } } }`,
      {
        id: campaign.id,
      },
    );
    expect(results.campaign.results.cost).toEqual({
      couponsIssued: treated.length,
      coupons: { amount: `${treated.length * 5}.00` },
    });

    // Later entrants: new customers join at their first order; treated ones get a coupon.
    await ds.query(
      `INSERT INTO customers (external_id, name, first_seen_at, tags, order_count, total_spent_minor) VALUES ${Array.from(
        { length: 20 },
        () => "(?, '', '2024-01-01 00:00:00.000', '', 0, 0)",
      ).join(", ")}`,
      Array.from({ length: 20 }, (_, i) => `L-${i}`),
    );
    const placedAt = new Date(Date.now() + 1000).toISOString();
    const recorded = await gql<{ recordOrders: { imported: number; userErrors: Problems } }>(
      RECORD,
      {
        input: Array.from({ length: 20 }, (_, i) => ({
          externalId: `late-${i}`,
          customerExternalId: `L-${i}`,
          placedAt,
          amount: "20.00",
          currency: "USD",
          status: "COMPLETED",
        })),
      },
    );
    expect(recorded.recordOrders.userErrors).toEqual([]);
    const lateTreated = (await members(campaign.id, "T")).filter((id) => !treated.includes(id));
    const lateControl = (await members(campaign.id, "C")).filter((id) => !control.includes(id));
    expect(lateTreated.length + lateControl.length).toBe(20);
    const after = await coupons(campaign.id);
    expect(after.map((c) => c.id)).toEqual([...treated, ...lateTreated].sort((a, b) => a - b));
    expect(new Set(after.map((c) => c.code)).size).toBe(after.length);
  });

  it("a money budget pays coupons while it lasts: the rest get none and offers stop", async () => {
    const campaign = await create({
      name: "Ten off, small budget",
      audience: {},
      offer: { coupon: { code: "TEN", amount: "10.00" } },
      controlShare: 0.5,
      budget: { kind: "MONEY", amount: "35.00", onExhausted: "STOP_OFFERS" },
    });
    const launched = await act("launchCampaign", campaign.id);
    expect(await coupons(campaign.id)).toHaveLength(3);
    expect(launched.budget).toMatchObject({ spent: "30.00", amount: "35.00" });
    expect(launched.budget!.exhaustedAt).not.toBeNull();
    const treated = await members(campaign.id, "T");
    expect((await coupons(campaign.id)).map((c) => c.id)).toEqual(treated.slice(0, 3));
  });

  it("coupons: a storefront records a coupon's use on its customer's order, once; results count it", async () => {
    const campaign = await create({
      name: "Ten off",
      audience: {},
      offer: { coupon: { code: "TEN", amount: "10.00" } },
      controlShare: 0.25,
      budget: { kind: "MONEY", amount: "100000.00", onExhausted: "STOP_OFFERS" },
    });
    await act("launchCampaign", campaign.id);
    const issued = await coupons(campaign.id);
    const [first, second] = issued;
    const externalId = async (id: number) =>
      (
        (await ds.query("SELECT external_id FROM customers WHERE id = ?", [id])) as {
          external_id: string;
        }[]
      )[0]!.external_id;
    // A storefront key that writes orders (and nothing else) records two orders, then the use.
    const keyOut = await gql<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(input: { name: "till", scopes: ["orders:write"] }) { secret } }',
    );
    const till = keyOut.createApiKey.secret;
    const asTill = async <T>(query: string, variables: Record<string, unknown>) => {
      const res = await api.gql<T>(query, variables, till);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data!;
    };
    const recorded = await asTill<{ recordOrders: { created: number } }>(
      "mutation($input: [OrderInput!]!) { recordOrders(input: $input) { created } }",
      {
        input: [
          { externalId: "TILL-1", customerExternalId: await externalId(first!.id) },
          { externalId: "TILL-2", customerExternalId: await externalId(second!.id) },
        ].map((o) => ({
          ...o,
          placedAt: new Date().toISOString(),
          amount: "40.00",
          currency: "USD",
          status: "COMPLETED",
        })),
      },
    );
    expect(recorded.recordOrders.created).toBe(2);
    const USE = `mutation($input: UseCampaignCouponInput!) { useCampaignCoupon(input: $input) {
      use { code campaignId faceValue { amount } orderId } replayed userErrors { field code message } } }`;
    type Used = {
      useCampaignCoupon: {
        use: { code: string; campaignId: string; faceValue: { amount: string } } | null;
        replayed: boolean;
        userErrors: Problems;
      };
    };
    const use = async (code: string, orderExternalId: string) =>
      (await asTill<Used>(USE, { input: { code, orderExternalId } })).useCampaignCoupon;

    // Another customer's order, an unknown code, an unknown order: refused, nothing recorded.
    expect((await use(first!.code, "TILL-2")).userErrors).toMatchObject([
      { field: "input.code", code: "COUPON_NOT_ISSUED_TO_CUSTOMER" },
    ]);
    expect((await use("TEN-NOPE-NOPE-NOPE", "TILL-1")).userErrors).toMatchObject([
      { field: "input.code", code: "UNKNOWN_COUPON" },
    ]);
    expect((await use(first!.code, "TILL-404")).userErrors).toMatchObject([
      { field: "input.orderExternalId", code: "UNKNOWN_ORDER" },
    ]);
    // Its own customer's order: used; the same use again is a replay.
    const ok = await use(` ${first!.code} `, "TILL-1");
    expect(ok).toMatchObject({
      use: { code: first!.code, campaignId: campaign.id, faceValue: { amount: "10.00" } },
      replayed: false,
      userErrors: [],
    });
    expect(await use(first!.code, "TILL-1")).toMatchObject({ replayed: true, userErrors: [] });
    // Used once: another order of the same customer cannot have it too.
    await asTill("mutation($input: [OrderInput!]!) { recordOrders(input: $input) { created } }", {
      input: [
        {
          externalId: "TILL-3",
          customerExternalId: await externalId(first!.id),
          placedAt: new Date().toISOString(),
          amount: "12.00",
          currency: "USD",
          status: "COMPLETED",
        },
      ],
    });
    expect((await use(first!.code, "TILL-3")).userErrors).toMatchObject([
      { field: "input.code", code: "COUPON_ALREADY_USED" },
    ]);
    // Racing orders for one code: exactly one gets it.
    const racing = await Promise.all(
      ["TILL-2", "TILL-2", "TILL-2"].map(() => use(second!.code, "TILL-2")),
    );
    expect(racing.filter((r) => r.userErrors.length === 0 && !r.replayed)).toHaveLength(1);
    expect(racing.every((r) => r.userErrors.length === 0)).toBe(true);

    const results = await gql<{
      campaign: {
        results: {
          cost: {
            couponsIssued: number;
            couponsUsed: number;
            couponsUsedValue: { amount: string };
          };
        };
      };
    }>(
      `query($id: ID!) { campaign(id: $id) { results { cost { couponsIssued couponsUsed couponsUsedValue { amount } } } } }`,
      { id: campaign.id },
    );
    expect(results.campaign.results.cost).toEqual({
      couponsIssued: issued.length,
      couponsUsed: 2,
      couponsUsedValue: { amount: "20.00" },
    });
    const [audited] = (await ds.query(
      "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'campaign.coupon_use'",
    )) as { n: number | string }[];
    expect(Number(audited!.n)).toBe(2);
  });
});
