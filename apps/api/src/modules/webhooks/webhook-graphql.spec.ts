import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInTransaction } from "../../db/transaction";
import { startTestApi, type TestApi } from "../../testing/test-server";
import { systemActor } from "../audit/audit.service";
import { UserService } from "../users/user.service";
import { emitEvent } from "./emit-event";
import { TestReceiver } from "./webhook-receiver.testkit";
import { verifyWebhookSignature } from "./webhook-signature";

// The contract's names over real HTTP, admins only, and the API process's own delivery job:
// an event emitted is at the receiver within seconds, and redeliverWebhook sends it again.

const CREATE =
  "mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id url events active } secret userErrors { field code message } } }";
const DELIVERIES =
  "query($endpointId: ID, $status: WebhookDeliveryStatus, $after: String) { webhookDeliveries(endpointId: $endpointId, status: $status, first: 10, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status attempts responseStatus responseExcerpt event { id type payload } } } } }";
const LOGIN =
  "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token userErrors { code } } }";

type Deliveries = {
  webhookDeliveries: {
    totalCount: number;
    edges: {
      node: {
        id: string;
        status: string;
        attempts: number;
        responseStatus: number | null;
        event: { id: string; type: string; payload: string };
      };
    }[];
  };
};

describe("webhooks over GraphQL (MySQL)", () => {
  let api: TestApi;
  let admin: string;
  let marketer: string;
  const receiver = new TestReceiver();

  const until = async (check: () => boolean, what: string) => {
    const end = Date.now() + 15_000;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    await receiver.start();
    api = await startTestApi();
    admin = await api.adminToken();
    const user = { email: "mara@example.test", password: "mara-password-1" };
    const created = await new UserService(api.db.dataSource).create(
      { ...user, role: "MARKETER" },
      systemActor("test"),
    );
    if (Array.isArray(created)) throw new Error(JSON.stringify(created));
    const login = await api.gql<{ login: { token: string } }>(LOGIN, {
      e: user.email,
      p: user.password,
    });
    marketer = login.data!.login.token;
  });
  afterAll(async () => {
    await api?.close();
    await receiver.stop();
  });

  it("lets admins make an endpoint (secret once), delivers signed events within seconds, and redelivers by hand", async () => {
    const made = await api.gql<{
      createWebhookEndpoint: {
        endpoint: { id: string; events: string[]; active: boolean };
        secret: string;
        userErrors: unknown[];
      };
    }>(CREATE, { input: { url: receiver.url, events: ["reward.redeemed"] } }, admin);
    expect(made.errors).toBeUndefined();
    const { endpoint, secret, userErrors } = made.data!.createWebhookEndpoint;
    expect(userErrors).toEqual([]);
    expect(endpoint).toMatchObject({ events: ["reward.redeemed"], active: true });
    expect(secret).toMatch(/^whsec_/);
    const listed = await api.gql<{ webhookEndpoints: Record<string, unknown>[] }>(
      "{ webhookEndpoints { id url } }",
      {},
      admin,
    );
    expect(listed.data!.webhookEndpoints).toEqual([{ id: endpoint.id, url: receiver.url }]);
    expect(JSON.stringify(listed)).not.toContain(secret);

    await runInTransaction(api.db.dataSource, (manager) =>
      emitEvent(manager, {
        type: "reward.redeemed",
        key: "redemption:1",
        payload: {
          customerId: "C1",
          redemptionId: "1",
          rewardId: "2",
          rewardName: "Tote bag",
          points: 500,
          redeemedAt: "2026-12-01T10:00:00.000Z",
        },
      }),
    );
    // The API process's poller starts the delivery job by itself.
    await until(() => receiver.received.length === 1, "the first delivery");
    const first = receiver.received[0]!;
    expect(
      verifyWebhookSignature(secret, first.body, String(first.headers["x-valuetier-signature"])),
    ).toBe(true);

    let log = await api.gql<Deliveries>(DELIVERIES, { endpointId: endpoint.id }, admin);
    for (
      let i = 0;
      i < 50 && log.data?.webhookDeliveries.edges[0]?.node.status !== "SUCCEEDED";
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
      log = await api.gql<Deliveries>(DELIVERIES, { endpointId: endpoint.id }, admin);
    }
    expect(log.data!.webhookDeliveries.totalCount).toBe(1);
    const delivery = log.data!.webhookDeliveries.edges[0]!.node;
    expect(delivery).toMatchObject({ status: "SUCCEEDED", attempts: 1, responseStatus: 200 });
    expect(delivery.event.type).toBe("reward.redeemed");
    expect(JSON.parse(delivery.event.payload)).toMatchObject({ customerId: "C1", points: 500 });
    expect(
      (await api.gql<Deliveries>(DELIVERIES, { status: "FAILED" }, admin)).data!.webhookDeliveries
        .totalCount,
    ).toBe(0);

    const again = await api.gql<{
      redeliverWebhook: { delivery: { status: string }; userErrors: unknown[] };
    }>(
      "mutation($id: ID!) { redeliverWebhook(id: $id) { delivery { status } userErrors { code } } }",
      { id: delivery.id },
      admin,
    );
    expect(again.data!.redeliverWebhook).toEqual({
      delivery: { status: "PENDING" },
      userErrors: [],
    });
    await until(() => receiver.received.length === 2, "the redelivery");
    expect(receiver.received[1]!.headers["x-valuetier-delivery"]).toBe(delivery.id);
    expect(receiver.received[1]!.headers["x-valuetier-attempt"]).toBe("2");
  });

  it("answers bad input as user errors or a 400 naming the argument", async () => {
    const refused = await api.gql<{
      createWebhookEndpoint: { endpoint: null; userErrors: { field: string; code: string }[] };
    }>(CREATE, { input: { url: "javascript:alert(1)", events: ["order.placed"] } }, admin);
    expect(refused.data!.createWebhookEndpoint.endpoint).toBeNull();
    expect(refused.data!.createWebhookEndpoint.userErrors).toEqual([
      expect.objectContaining({ field: "input.url", code: "INVALID_URL" }),
      expect.objectContaining({ field: "input.events.0", code: "UNKNOWN_EVENT" }),
    ]);
    const badCursor = await api.gql(DELIVERIES, { after: "nope" }, admin);
    expect(badCursor.status).toBe(400);
    expect(badCursor.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const badId = await api.gql(
      'mutation { redeliverWebhook(id: "0x1") { userErrors { code } } }',
      {},
      admin,
    );
    expect(badId.errors?.[0]?.message).toMatch(/^id: "0x1" is not an id/);
  });

  it("is for admins only", async () => {
    for (const query of [
      "{ webhookEndpoints { id } }",
      "{ webhookDeliveries { totalCount } }",
      'mutation { createWebhookEndpoint(input: { url: "https://x.test/", events: ["tier.changed"] }) { secret } }',
      'mutation { redeliverWebhook(id: "1") { userErrors { code } } }',
    ]) {
      const res = await api.gql(query, {}, marketer);
      expect(res.errors?.[0]?.extensions?.code, query).toBe("FORBIDDEN");
    }
  });
});
