import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../testing/test-server";
import { systemActor } from "../audit/audit.service";
import { JobRunner } from "../jobs/job-runner";
import { LOYALTY_EXPIRE_JOB, registerLoyaltyJobs } from "../loyalty/loyalty-jobs";
import { WebhookService } from "./webhook.service";

// points.expiring_soon: the loyalty-expire job tells about the points expiring within the
// notice window, once per customer and expiry instant.

const SETTINGS = `mutation($input: LoyaltySettingsInput!) { updateLoyaltySettings(input: $input) { userErrors { field code message } } }`;
const UPSERT = `mutation($input: [CustomerInput!]!) { upsertCustomers(input: $input) { userErrors { code message } } }`;
const CUSTOMER = `query($e: String!) { customer(externalId: $e) { id } }`;
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { account { balance } userErrors { code message } } }`;

describe("points.expiring_soon from the loyalty-expire job (MySQL)", () => {
  let api: TestApi;
  let admin: string;

  const gqlOk = async <T>(query: string, variables: Record<string, unknown>) => {
    const res = await api.gql<T>(query, variables, admin);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  };
  const events = async () => {
    const rows: { event_key: string; payload_json: string }[] = await api.db.dataSource.query(
      "SELECT event_key, payload_json FROM webhook_events WHERE type = 'points.expiring_soon' ORDER BY id",
    );
    return rows.map((r) => ({ key: r.event_key, payload: JSON.parse(r.payload_json) }));
  };

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.adminToken();
    const made = await new WebhookService(api.db.dataSource).createEndpoint(
      { url: "http://127.0.0.1:9/hooks", events: ["points.expiring_soon"] },
      systemActor("test"),
    );
    if (Array.isArray(made)) throw new Error(JSON.stringify(made));
  });
  afterAll(async () => {
    await api?.close();
  });

  it("emits one event per customer and expiry within 30 days, once", async () => {
    const settings = await gqlOk<{ updateLoyaltySettings: { userErrors: unknown[] } }>(SETTINGS, {
      input: {
        earnBasis: "AMOUNT",
        pointsPerUnit: "1",
        rounding: "FLOOR",
        tierMultipliers: [],
        pendingDays: 0,
        expiry: { kind: "ROLLING", days: 10 },
        negativeBalance: "CAP_AT_ZERO",
        costPerPointMinor: "0.5",
        bonusEvents: [],
      },
    });
    expect(settings.updateLoyaltySettings.userErrors).toEqual([]);
    await gqlOk(UPSERT, {
      input: [{ externalId: "eve", name: "Eve", createdAt: "2025-01-01T00:00:00Z" }],
    });
    const { customer } = await gqlOk<{ customer: { id: string } }>(CUSTOMER, { e: "eve" });
    await gqlOk(EARN, {
      input: { customerId: customer.id, points: 120, reason: "welcome", idempotencyKey: "e-1" },
    });

    const runner = registerLoyaltyJobs(
      new JobRunner(api.db.dataSource, { owner: "expiry-test", log: { error: () => undefined } }),
      api.db.dataSource,
      { defaultMarginRate: "0.3" },
    );
    await runner.run(LOYALTY_EXPIRE_JOB, undefined, systemActor("test"));
    let written = await events();
    expect(written).toHaveLength(1);
    expect(written[0]!.key).toMatch(new RegExp(`^customer:${customer.id}:expires:`));
    expect(written[0]!.payload).toMatchObject({ customerId: "eve", points: 120, balance: 120 });
    const expiresAt = Date.parse(written[0]!.payload.expiresAt);
    expect(expiresAt - Date.now()).toBeGreaterThan(9 * 86_400_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(10 * 86_400_000);

    // The next day's run tells nothing new.
    await runner.run(LOYALTY_EXPIRE_JOB, undefined, systemActor("test"));
    written = await events();
    expect(written).toHaveLength(1);
    await runner.stop();
  });
});
