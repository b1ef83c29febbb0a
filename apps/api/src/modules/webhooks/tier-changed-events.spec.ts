import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertFixture, syntheticFixture } from "../../__tests__/value-fixtures";
import { loadConfig } from "../../config";
import { openDatabase } from "../../db/open-database";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database";
import { systemActor } from "../audit/audit.service";
import { TierService } from "../tiers/tier.service";
import { ScoringRunService } from "../value/scoring-run.service";
import { ValueQueryService } from "../value/value-query.service";
import { WebhookDeliverer } from "./webhook-deliverer";
import { TestReceiver } from "./webhook-receiver.testkit";
import { verifyWebhookSignature } from "./webhook-signature";
import { WebhookService } from "./webhook.service";

const cli = systemActor("test");

// tier.changed comes from the scoring run, in the transaction that makes the run current: one
// event per customer whose tier differs from the previous current run, on MySQL and SQLite.
describe.each(["mysql", "sqlite"] as const)("tier.changed from scoring runs (%s)", (driver) => {
  let mysql: TestDatabase | undefined;
  let dataSource: DataSource;
  let receiver: TestReceiver;
  let secret: string;
  const fixture = syntheticFixture(150, 11);

  const tiersOf = async (runId: number) => {
    const rows: { external_id: string; tier_key: string }[] = await dataSource.query(
      "SELECT c.external_id, cv.tier_key FROM customer_values cv JOIN customers c ON c.id = cv.customer_id WHERE cv.run_id = ?",
      [runId],
    );
    return new Map(rows.map((r) => [r.external_id, r.tier_key]));
  };
  const events = async () => {
    const rows: { event_key: string; payload_json: string }[] = await dataSource.query(
      "SELECT event_key, payload_json FROM webhook_events WHERE type = 'tier.changed' ORDER BY id",
    );
    return rows.map((r) => ({ key: r.event_key, payload: JSON.parse(r.payload_json) }));
  };

  beforeAll(async () => {
    if (driver === "mysql") {
      mysql = await createTestDatabase("vt_webhook_tiers");
      dataSource = mysql.dataSource;
    } else {
      dataSource = await openDatabase(
        loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "vt-webhook-tiers-")) }),
      );
    }
    await insertFixture(dataSource, fixture.customers, fixture.orders);
    receiver = new TestReceiver();
    await receiver.start();
    const made = await new WebhookService(dataSource).createEndpoint(
      { url: receiver.url, events: ["tier.changed"] },
      cli,
    );
    if (Array.isArray(made)) throw new Error(JSON.stringify(made));
    secret = made.secret;
  });
  afterAll(async () => {
    await receiver?.stop();
    if (mysql) await mysql.drop();
    else if (dataSource?.isInitialized) await dataSource.destroy();
  });

  it("emits one event per customer whose tier changed, and none for a run that changes nothing", async () => {
    let clock = new Date("2026-01-01T00:00:00Z");
    const scoring = new ScoringRunService(dataSource, {
      currency: "USD",
      defaultMarginRate: "0.3",
      clock: () => clock,
    });
    // The first run places everyone: previousTier null.
    const first = await scoring.runNow(cli);
    const placed = await tiersOf(first.id);
    expect(placed.size).toBe(150);
    const firstEvents = await events();
    expect(firstEvents).toHaveLength(150);
    const one = firstEvents.find((e) => e.payload.customerId === fixture.customers[0]!.externalId)!;
    expect(one.payload).toEqual({
      customerId: fixture.customers[0]!.externalId,
      previousTier: null,
      tier: placed.get(fixture.customers[0]!.externalId),
      scoringRunId: first.id,
      changedAt: first.finishedAt!.toISOString(),
    });

    // Same data, same policy: no changes, no events.
    clock = new Date("2026-01-02T00:00:00Z");
    const second = await scoring.runNow(cli);
    expect(await events()).toHaveLength(150);

    // A new policy: spend above the median is high, the rest low, no grace.
    const spends = fixture.customers.map((c) =>
      fixture.orders
        .filter((o) => o.customer === c.externalId && o.status !== "refunded")
        .reduce((sum, o) => sum + o.amountMinor, 0),
    );
    const median = [...spends].sort((a, b) => a - b)[75]!;
    const tiers = new TierService(dataSource, new ValueQueryService(dataSource));
    const saved = await tiers.updateSettings(
      {
        policy: {
          kind: "spend_threshold",
          thresholds: [{ tier: "high", minMinor: median + 1 }],
          otherwise: "low",
        },
        graceDays: 0,
      },
      cli,
    );
    expect(Array.isArray(saved), JSON.stringify(saved)).toBe(false);
    clock = new Date("2026-01-03T00:00:00Z");
    const third = await scoring.runNow(cli);
    const before = await tiersOf(second.id);
    const after = await tiersOf(third.id);
    const changed = [...after].filter(([id, tier]) => before.get(id) !== tier);
    expect(changed.length).toBeGreaterThan(20);
    const thirdEvents = (await events()).slice(150);
    expect(thirdEvents).toHaveLength(changed.length);
    for (const event of thirdEvents) {
      expect(event.key).toMatch(new RegExp(`^run:${third.id}:customer:\\d+$`));
      expect(event.payload.previousTier).toBe(before.get(event.payload.customerId));
      expect(event.payload.tier).toBe(after.get(event.payload.customerId));
      expect(event.payload.tier).not.toBe(event.payload.previousTier);
    }

    // Sent, each signed.
    const round = await new WebhookDeliverer(dataSource, {
      concurrency: 8,
      batchSize: 100,
    }).deliverDue();
    expect(round).toMatchObject({
      fannedOut: 150 + changed.length,
      succeeded: 150 + changed.length,
    });
    expect(receiver.received).toHaveLength(150 + changed.length);
    for (const request of receiver.received) {
      expect(
        verifyWebhookSignature(
          secret,
          request.body,
          String(request.headers["x-valuetier-signature"]),
        ),
      ).toBe(true);
    }
  });
});
