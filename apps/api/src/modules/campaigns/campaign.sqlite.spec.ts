import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServices, type Services } from "../../composition";
import { loadConfig } from "../../config";
import { createDataSource } from "../../db/data-source";
import { systemActor } from "../audit/audit.service";
import { CampaignBoosts } from "./campaign-boosts";

// The embedded database (SQLite, schema from the entities): the same launch, boosts, budget and
// results as on MySQL, through the same SQL (INSERT … SELECT, INSERT OR IGNORE, row counts).
describe("campaigns on the embedded SQLite database", () => {
  let dir: string;
  let ds: DataSource;
  let services: Services;
  const actor = systemActor("test");

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "vt-campaign-sqlite-"));
    ds = createDataSource({ sqlitePath: path.join(dir, "c.sqlite") });
    await ds.initialize();
    services = createServices(ds, loadConfig({ DATA_DIR: dir, JWT_SECRET: "x".repeat(32) }));
    const values: string[] = [];
    for (let k = 1; k <= 400; k++) {
      values.push(`('S-${k}', '', '2024-01-01 00:00:00.000', '${k % 2 ? "odd" : "even"}', 0, 0)`);
    }
    await ds.query(
      `INSERT INTO customers (external_id, name, first_seen_at, tags, order_count, total_spent_minor) VALUES ${values.join(",")}`,
    );
  });

  afterAll(async () => {
    await ds?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("launches, boosts treated orders within the budget, and measures", async () => {
    const created = await services.campaigns.create(
      {
        name: "Odd ones",
        audience: { query: "tags CONTAINS 'odd'" },
        offer: { bonusPoints: 10 },
        controlShare: 0.25,
        budget: { kind: "points", amount: "55" },
      },
      actor,
    );
    if (Array.isArray(created)) throw new Error(JSON.stringify(created));
    const launched = await services.campaigns.transition(created.id, "launch", actor);
    if (Array.isArray(launched)) throw new Error(JSON.stringify(launched));
    const counts = await services.campaigns.memberCounts(created.id);
    expect(counts.treatment + counts.control).toBe(200);
    expect(counts.control).toBeGreaterThan(25);
    expect(counts.control).toBeLessThan(75);

    const members = (await ds.query(
      "SELECT customer_id AS id, grp FROM campaign_members WHERE campaign_id = ? ORDER BY customer_id",
      [created.id],
    )) as { id: number; grp: string }[];
    const orders = members.slice(0, 20).map((m, i) => ({
      orderId: String(1000 + i),
      customerId: String(m.id),
      placedAt: new Date(),
    }));
    const boosts = await ds.transaction(async (manager) => {
      const b = new CampaignBoosts({
        audiences: services.audiences,
        segments: services.segments,
        valueQueries: services.valueQueries,
      });
      const found = await b.forOrders(manager, orders);
      const effects = [...found.entries()].map(([orderId, list]) => ({
        source: list[0]!.source,
        orderId,
        customerId: orders.find((o) => o.orderId === orderId)!.customerId,
        extraPoints: list[0]!.bonusPoints,
      }));
      return { found, accepted: await b.recordEffects(manager, effects), effects };
    });
    const treated = members.slice(0, 20).filter((m) => m.grp === "T").length;
    expect(boosts.found.size).toBe(treated);
    // A budget of 55 pays 5 effects of 10 points.
    expect(boosts.accepted).toHaveLength(Math.min(5, treated));
    const [row] = (await ds.query("SELECT spent FROM campaigns WHERE id = ?", [created.id])) as {
      spent: number;
    }[];
    expect(Number(row!.spent)).toBe(10 * Math.min(5, treated));

    const results = await services.campaigns.results(launched);
    expect(results!.treatment.customers).toBe(counts.treatment);
    expect(results!.control.customers).toBe(counts.control);
    expect(results!.cost.points).toBe("0.50");
  });

  it("issues one unique coupon per treated member at launch, and a campaign-only reward to them only", async () => {
    const reward = await services.loyalty.createReward(
      { name: "Secret", pointsCost: 5, campaignOnly: true },
      actor,
    );
    if (Array.isArray(reward)) throw new Error(JSON.stringify(reward));
    const created = await services.campaigns.create(
      {
        name: "Even coupons",
        audience: { query: "tags CONTAINS 'even'" },
        offer: { coupon: { code: "EVEN", amount: "2.50" }, rewardId: String(reward.id) },
        controlShare: 0.25,
      },
      actor,
    );
    if (Array.isArray(created)) throw new Error(JSON.stringify(created));
    const launched = await services.campaigns.transition(created.id, "launch", actor);
    if (Array.isArray(launched)) throw new Error(JSON.stringify(launched));
    const members = (await ds.query(
      "SELECT customer_id AS id, grp FROM campaign_members WHERE campaign_id = ? ORDER BY customer_id",
      [created.id],
    )) as { id: number; grp: string }[];
    const coupons = (await ds.query(
      "SELECT customer_id AS id, code FROM campaign_coupons WHERE campaign_id = ? ORDER BY customer_id",
      [created.id],
    )) as { id: number; code: string }[];
    const treated = members.filter((m) => m.grp === "T").map((m) => Number(m.id));
    expect(coupons.map((c) => Number(c.id))).toEqual(treated);
    expect(new Set(coupons.map((c) => c.code)).size).toBe(treated.length);
    const results = await services.campaigns.results(launched);
    expect(results!.couponsIssued).toBe(treated.length);

    const control = Number(members.find((m) => m.grp === "C")!.id);
    const visible = async (customerId: number) =>
      (await services.loyalty.rewards({ customerId })).map((r) => r.id);
    expect(await visible(treated[0]!)).toContain(reward.id);
    expect(await visible(control)).not.toContain(reward.id);
  });
});
