import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../testing/test-server";
import { systemActor } from "../audit/audit.service";
import { TestReceiver } from "./webhook-receiver.testkit";
import { WebhookService } from "./webhook.service";

// reward.redeemed comes from the loyalty module's redemption, in its transaction: one event per
// committed redemption, none for a replay of the same idempotency key or a refused one.

const UPSERT = `mutation($input: [CustomerInput!]!) { upsertCustomers(input: $input) { userErrors { code message } } }`;
const CUSTOMER = `query($e: String!) { customer(externalId: $e) { id } }`;
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { account { balance } userErrors { code message } } }`;
const CREATE_REWARD = `mutation($input: CreateRewardInput!) { createReward(input: $input) { reward { id } userErrors { field code message } } }`;
const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) {
  redemption { id } replayed userErrors { code } } }`;

describe("reward.redeemed from loyalty redemptions (MySQL)", () => {
  let api: TestApi;
  let admin: string;
  const receiver = new TestReceiver();

  const gqlOk = async <T>(query: string, variables: Record<string, unknown>) => {
    const res = await api.gql<T>(query, variables, admin);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  };
  const events = async () => {
    const rows: { event_key: string; payload_json: string }[] = await api.db.dataSource.query(
      "SELECT event_key, payload_json FROM webhook_events WHERE type = 'reward.redeemed' ORDER BY id",
    );
    return rows.map((r) => ({ key: r.event_key, payload: JSON.parse(r.payload_json) }));
  };

  beforeAll(async () => {
    await receiver.start();
    api = await startTestApi();
    admin = await api.adminToken();
    const made = await new WebhookService(api.db.dataSource).createEndpoint(
      { url: receiver.url, events: ["reward.redeemed"] },
      systemActor("test"),
    );
    if (Array.isArray(made)) throw new Error(JSON.stringify(made));
  });
  afterAll(async () => {
    await api?.close();
    await receiver.stop();
  });

  it("emits one event per committed redemption, delivered by the API", async () => {
    await gqlOk(UPSERT, {
      input: [{ externalId: "dora", name: "Dora", createdAt: "2025-01-01T00:00:00Z" }],
    });
    const { customer } = await gqlOk<{ customer: { id: string } }>(CUSTOMER, { e: "dora" });
    await gqlOk(EARN, {
      input: { customerId: customer.id, points: 250, reason: "welcome", idempotencyKey: "d-1" },
    });
    const reward = await gqlOk<{ createReward: { reward: { id: string } } }>(CREATE_REWARD, {
      input: { name: "Tote bag", pointsCost: 100, tierKeys: [], couponPrefix: "TOTE" },
    });
    const rewardId = reward.createReward.reward.id;
    const redeem = (key: string) =>
      gqlOk<{
        redeemReward: {
          redemption: { id: string } | null;
          replayed: boolean;
          userErrors: { code: string }[];
        };
      }>(REDEEM, { input: { customerId: customer.id, rewardId, idempotencyKey: key } });
    const first = await redeem("d-r1");
    expect(first.redeemReward.redemption).not.toBeNull();
    expect((await redeem("d-r1")).redeemReward.replayed).toBe(true); // a replay: no new event
    await redeem("d-r2");
    const refused = await redeem("d-r3"); // 50 points left: refused, no event
    expect(refused.redeemReward.userErrors.length).toBeGreaterThan(0);

    const written = await events();
    expect(written).toHaveLength(2);
    expect(written[0]).toEqual({
      key: `redemption:${first.redeemReward.redemption!.id}`,
      payload: {
        customerId: "dora",
        redemptionId: first.redeemReward.redemption!.id,
        rewardId,
        rewardName: "Tote bag",
        points: 100,
        redeemedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
    const end = Date.now() + 15_000;
    while (receiver.received.length < 2 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual([
      "reward.redeemed",
      "reward.redeemed",
    ]);
  });
});
