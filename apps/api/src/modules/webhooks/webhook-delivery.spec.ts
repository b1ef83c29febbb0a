import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runInTransaction } from "../../db/transaction";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database";
import { systemActor } from "../audit/audit.service";
import { JobRunner } from "../jobs/job-runner";
import { emitEvent } from "./emit-event";
import { WebhookDeliverer } from "./webhook-deliverer";
import { WebhookDeliveryEntity } from "./webhook-delivery.entity";
import { JobTriggers } from "../jobs/job-triggers";
import { registerWebhookDeliveryJob, webhookDeliveryTrigger } from "./webhook-jobs";
import { TestReceiver } from "./webhook-receiver.testkit";
import { verifyWebhookSignature } from "./webhook-signature";
import { WebhookService } from "./webhook.service";
import type { RewardRedeemedPayload } from "./webhook-event-types";

const admin = systemActor("test");

const redeemed = (n: number): RewardRedeemedPayload => ({
  customerId: `C${n}`,
  redemptionId: String(n),
  rewardId: "7",
  rewardName: "Free coffee",
  points: 150,
  redeemedAt: "2026-12-01T09:00:00.000Z",
});

describe("webhook delivery (MySQL, a real receiver on 127.0.0.1)", () => {
  let db: TestDatabase;
  let service: WebhookService;
  let receiver: TestReceiver;

  const emit = (n: number) =>
    runInTransaction(db.dataSource, (manager) =>
      emitEvent(manager, { type: "reward.redeemed", key: `redemption:${n}`, payload: redeemed(n) }),
    );
  const deliveries = () =>
    db.dataSource.getRepository(WebhookDeliveryEntity).find({ order: { id: "ASC" } });
  const endpoint = async (url: string, events = ["reward.redeemed"]) => {
    const made = await service.createEndpoint({ url, events }, admin);
    if (Array.isArray(made)) throw new Error(JSON.stringify(made));
    return made;
  };

  beforeAll(async () => {
    db = await createTestDatabase("vt_webhooks");
    service = new WebhookService(db.dataSource);
  });
  beforeEach(async () => {
    receiver = new TestReceiver();
    await receiver.start();
  });
  afterEach(async () => {
    await receiver.stop();
    for (const table of [
      "webhook_deliveries",
      "webhook_events",
      "webhook_endpoints",
      "jobs",
      "job_locks",
    ]) {
      await db.dataSource.query(`DELETE FROM ${table}`);
    }
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("sends each event once, signed with the endpoint's secret, with delivery and event ids", async () => {
    const { endpoint: made, secret } = await endpoint(receiver.url, [
      "reward.redeemed",
      "campaign.started",
    ]);
    expect(await emit(1)).toBe(true);
    expect(await emit(1)).toBe(false); // same type and key: one event
    // Not subscribed: not written at all.
    expect(
      await runInTransaction(db.dataSource, (m) =>
        emitEvent(m, {
          type: "campaign.ended",
          key: "campaign:1",
          payload: { campaignId: "1", name: "x", endedAt: "2026-12-01T00:00:00.000Z" },
        }),
      ),
    ).toBe(false);
    // An event in a transaction that rolls back never exists.
    await expect(
      runInTransaction(db.dataSource, async (m) => {
        await emitEvent(m, { type: "reward.redeemed", key: "redemption:2", payload: redeemed(2) });
        throw new Error("the redemption failed");
      }),
    ).rejects.toThrow("the redemption failed");

    const round = await new WebhookDeliverer(db.dataSource).deliverDue();
    expect(round).toEqual({ fannedOut: 1, sent: 1, succeeded: 1, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    const signature = String(request!.headers["x-valuetier-signature"]);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, request!.body, signature)).toBe(true);
    expect(verifyWebhookSignature("whsec_wrong", request!.body, signature)).toBe(false);
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({ type: "reward.redeemed", data: redeemed(1) });
    expect(request!.headers["x-valuetier-event"]).toBe(body.id);
    expect(request!.headers["x-valuetier-event-type"]).toBe("reward.redeemed");
    const [row] = await deliveries();
    expect(row).toMatchObject({
      endpointId: made.id,
      status: "succeeded",
      attempts: 1,
      responseStatus: 200,
      responseExcerpt: "ok",
      nextAttemptAt: null,
      leaseToken: null,
    });
    expect(request!.headers["x-valuetier-delivery"]).toBe(String(row!.id));
    // Nothing more to do: a second round sends nothing.
    expect(await new WebhookDeliverer(db.dataSource).deliverDue()).toMatchObject({ sent: 0 });
  });

  it("retries a stopped receiver with growing waits, and delivers once it is back", async () => {
    await endpoint(receiver.url);
    let now = new Date("2026-12-01T09:00:00Z");
    const deliverer = new WebhookDeliverer(db.dataSource, {
      clock: () => now,
      retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 3_600_000 },
    });
    await emit(1);
    await receiver.stop();

    expect(await deliverer.deliverDue()).toMatchObject({ sent: 1, failed: 1 });
    let [row] = await deliveries();
    expect(row).toMatchObject({ status: "pending", attempts: 1, responseStatus: null });
    expect(row!.lastError).toMatch(/could not connect: ECONNREFUSED/);
    const firstWait = row!.nextAttemptAt!.getTime() - now.getTime();
    expect(firstWait).toBeGreaterThanOrEqual(30_000);
    expect(firstWait).toBeLessThanOrEqual(60_000);
    // Not due yet: nothing is sent.
    expect(await deliverer.deliverDue()).toMatchObject({ sent: 0 });

    now = new Date(now.getTime() + 60_000);
    expect(await deliverer.deliverDue()).toMatchObject({ sent: 1, failed: 1 });
    [row] = await deliveries();
    const secondWait = row!.nextAttemptAt!.getTime() - now.getTime();
    expect(row!.attempts).toBe(2);
    expect(secondWait).toBeGreaterThanOrEqual(60_000);
    expect(secondWait).toBeLessThanOrEqual(120_000);

    // Back up, but answering 503: still a failure, the answer recorded.
    await receiver.start();
    receiver.respond = () => ({ status: 503, body: "maintenance" });
    now = new Date(now.getTime() + 120_000);
    expect(await deliverer.deliverDue()).toMatchObject({ sent: 1, failed: 1 });
    [row] = await deliveries();
    expect(row).toMatchObject({
      status: "pending",
      attempts: 3,
      responseStatus: 503,
      responseExcerpt: "maintenance",
    });

    receiver.respond = () => ({ status: 204 });
    now = new Date(now.getTime() + 240_000);
    expect(await deliverer.deliverDue()).toMatchObject({ sent: 1, succeeded: 1 });
    [row] = await deliveries();
    expect(row).toMatchObject({ status: "succeeded", attempts: 4, responseStatus: 204 });
    expect(receiver.received.filter((r) => r.headers["x-valuetier-attempt"] === "4")).toHaveLength(
      1,
    );
    now = new Date(now.getTime() + 3_600_000);
    expect(await deliverer.deliverDue()).toMatchObject({ sent: 0 });
  });

  it("gives up after the policy's attempts", async () => {
    await endpoint(receiver.url);
    let now = new Date("2026-12-01T09:00:00Z");
    const deliverer = new WebhookDeliverer(db.dataSource, {
      clock: () => now,
      retry: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 },
    });
    receiver.respond = () => ({ status: 500, body: "boom" });
    await emit(1);
    for (let i = 0; i < 5; i++) {
      await deliverer.deliverDue();
      now = new Date(now.getTime() + 10_000);
    }
    const [row] = await deliveries();
    expect(row).toMatchObject({
      status: "failed",
      attempts: 3,
      nextAttemptAt: null,
      responseStatus: 500,
    });
    expect(receiver.received).toHaveLength(3);
  });

  it("two workers racing send every delivery exactly once", async () => {
    const second = new TestReceiver();
    await second.start();
    try {
      await endpoint(receiver.url);
      await endpoint(second.url);
      for (let n = 1; n <= 40; n++) await emit(n);
      receiver.respond = second.respond = () => ({ status: 200, delayMs: 5 });
      const workers = [1, 2, 3].map(
        () => new WebhookDeliverer(db.dataSource, { batchSize: 7, concurrency: 3 }),
      );
      const rounds = await Promise.all(workers.map((w) => w.deliverDue()));
      expect(rounds.reduce((n, r) => n + r.succeeded, 0)).toBe(80);
      expect(rounds.filter((r) => r.sent > 0).length).toBeGreaterThan(1); // they did share it
      const all = [...receiver.received, ...second.received];
      expect(all).toHaveLength(80);
      expect(new Set(all.map((r) => r.headers["x-valuetier-delivery"])).size).toBe(80);
      expect(new Set(receiver.received.map((r) => r.headers["x-valuetier-event"])).size).toBe(40);
      const rows = await deliveries();
      expect(rows).toHaveLength(80);
      expect(rows.every((r) => r.status === "succeeded" && r.attempts === 1)).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it("redelivers by hand: one new attempt, whatever the status", async () => {
    await endpoint(receiver.url);
    const deliverer = new WebhookDeliverer(db.dataSource, {
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    await emit(1);
    await deliverer.deliverDue();
    const [done] = await deliveries();
    expect(done!.status).toBe("succeeded");

    const asked = await service.redeliver(done!.id, admin);
    expect(asked).toMatchObject({ status: "pending", manualRetry: 1 });
    expect(await deliverer.deliverDue()).toMatchObject({ sent: 1, succeeded: 1 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers["x-valuetier-delivery"]).toBe(String(done!.id));
    expect(receiver.received[1]!.headers["x-valuetier-attempt"]).toBe("2");
    expect(await deliveries()).toMatchObject([
      { status: "succeeded", attempts: 2, manualRetry: 0 },
    ]);

    // A redelivery that fails is one attempt: no automatic retries after it.
    receiver.respond = () => ({ status: 500 });
    await service.redeliver(done!.id, admin);
    await deliverer.deliverDue();
    await sleep(5);
    await deliverer.deliverDue();
    expect(await deliveries()).toMatchObject([{ status: "failed", attempts: 3 }]);
    expect(receiver.received).toHaveLength(3);

    expect(await service.redeliver(99_999, admin)).toEqual([
      expect.objectContaining({ code: "NOT_FOUND", field: "id" }),
    ]);
  });

  it("waits for a disabled endpoint, and sends nothing emitted while it is disabled", async () => {
    const { endpoint: made } = await endpoint(receiver.url);
    await emit(1);
    await service.updateEndpoint(made.id, { active: false }, admin);
    await emit(2); // no active subscriber: not written
    const deliverer = new WebhookDeliverer(db.dataSource);
    // Event 1 (emitted while it was enabled) gets its delivery, which waits.
    expect(await deliverer.deliverDue()).toMatchObject({ fannedOut: 1, sent: 0 });
    expect(await deliveries()).toMatchObject([{ status: "pending", attempts: 0 }]);
    await service.updateEndpoint(made.id, { active: true }, admin);
    expect(await deliverer.deliverDue()).toMatchObject({ fannedOut: 0, sent: 1, succeeded: 1 });
    expect(receiver.received.map((r) => JSON.parse(r.body).data.customerId)).toEqual(["C1"]);
  });

  it("the delivery job starts by itself within seconds of an event", async () => {
    await endpoint(receiver.url);
    const runner = new JobRunner(db.dataSource, {
      owner: "poller-test",
      log: { error: () => undefined },
    });
    const deliverer = registerWebhookDeliveryJob(runner, db.dataSource, {
      pollMs: 50,
      idleMs: 200,
    });
    const triggers = new JobTriggers({ error: () => undefined });
    triggers.add(webhookDeliveryTrigger(runner, deliverer, 50));
    try {
      await emit(1);
      const until = Date.now() + 10_000;
      while (receiver.received.length === 0 && Date.now() < until) await sleep(20);
      expect(receiver.received).toHaveLength(1);
    } finally {
      triggers.stop();
      await runner.stop();
    }
    const jobs: { kind: string }[] = await db.dataSource.query("SELECT kind FROM jobs");
    expect(jobs.map((j) => j.kind)).toContain("webhook-delivery");
  });

  it("refuses bad endpoints with a user error naming the field", async () => {
    const refused = await service.createEndpoint(
      { url: "ftp://example.com/x", events: ["reward.redeemed", "order.placed"] },
      admin,
    );
    expect(refused).toEqual([
      expect.objectContaining({ field: "input.url", code: "INVALID_URL" }),
      expect.objectContaining({ field: "input.events.1", code: "UNKNOWN_EVENT" }),
    ]);
    expect(
      await service.createEndpoint(
        { url: "https://user:pw@example.com/", events: ["tier.changed"] },
        admin,
      ),
    ).toEqual([expect.objectContaining({ code: "INVALID_URL" })]);
    expect(
      await service.createEndpoint({ url: "https://example.com/", events: [] }, admin),
    ).toEqual([expect.objectContaining({ field: "input.events", code: "REQUIRED" })]);
    expect(await service.updateEndpoint(12345, { active: false }, admin)).toEqual([
      expect.objectContaining({ code: "NOT_FOUND" }),
    ]);
  });
});
