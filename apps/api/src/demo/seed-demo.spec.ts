import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource } from "../db/data-source";
import { fromSqlDateTime } from "../db/sql-values";
import { reconcileLoyalty } from "../modules/loyalty/loyalty-reconcile";
import { LoyaltyService } from "../modules/loyalty/loyalty.service";
import { TierEntity } from "../modules/tiers/tier.entity";
import { seedDemo } from "./seed-demo";

const CUSTOMERS = Number(process.env.DEMO_SPEC_CUSTOMERS || 1000);

// The demo on the embedded SQLite database, as `npm run demo` starts it.
describe("seedDemo's loyalty programme", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-demo-"));
  let dataSource: DataSource;
  const lines: string[] = [];
  let seconds = 0;

  beforeAll(async () => {
    dataSource = createDataSource({ sqlitePath: path.join(dir, "demo.sqlite") });
    await dataSource.initialize();
    const started = performance.now();
    await seedDemo(
      dataSource,
      { defaultCurrency: "USD", defaultMarginRate: "0.3" },
      (l) => lines.push(l),
      // As `npm run demo` seeds it: the first scoring run before the points.
      { customers: CUSTOMERS, firstScoringRun: true },
    );
    seconds = (performance.now() - started) / 1000;
    process.stderr.write(`seedDemo(${CUSTOMERS} customers): ${seconds.toFixed(1)} s\n`);
  }, 600_000);

  afterAll(async () => {
    await dataSource?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("has settings with tier multipliers and a reward catalogue", async () => {
    const loyalty = new LoyaltyService(dataSource, { defaultMarginRate: "0.3" });
    expect((await loyalty.settings()).tierMultipliers).toEqual({ high: "2", mid_high: "1.5" });
    expect((await loyalty.rewards()).length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toMatch(/loyalty points earned, \d+ rewards redeemed/);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^Scored ${CUSTOMERS.toLocaleString("en")} demo customers`)),
    );
  });

  it("earned every point in a real tier, the one the first scoring run gave its customer", async () => {
    const [run] = (await dataSource.query(
      "SELECT id FROM scoring_runs WHERE status = 'succeeded'",
    )) as { id: number }[];
    expect(run).toBeDefined();
    const tierKeys = new Set((await dataSource.getRepository(TierEntity).find()).map((t) => t.key));
    const earns: { tier_key: string | null; n: number | string; points: number | string }[] =
      await dataSource.query(
        "SELECT e.tier_key, COUNT(*) AS n, SUM(e.points) AS points FROM loyalty_entries e " +
          "WHERE e.type = 'earn' GROUP BY e.tier_key",
      );
    expect(earns.length).toBeGreaterThan(1);
    for (const row of earns) expect(tierKeys).toContain(row.tier_key);
    const mismatched: { n: number | string }[] = await dataSource.query(
      "SELECT COUNT(*) AS n FROM loyalty_entries e JOIN customer_values v " +
        "ON v.customer_id = e.account_id AND v.run_id = ? " +
        "WHERE e.type = 'earn' AND (e.tier_key IS NULL OR e.tier_key <> v.tier_key)",
      [run!.id],
    );
    expect(Number(mismatched[0]!.n)).toBe(0);
    // The economics page: every earned point under a tier that has customers and a CLV.
    const report = await new LoyaltyService(dataSource, { defaultMarginRate: "0.3" }).economics();
    if (Array.isArray(report)) throw new Error(JSON.stringify(report));
    const earning = report.tiers.filter((t) => t.earned > 0);
    expect(earning.length).toBeGreaterThan(1);
    for (const tier of earning) {
      expect(tier.tierKey).not.toBeNull();
      expect(tier.customers).toBeGreaterThan(0);
    }
    expect(report.tiers.find((t) => t.tierKey === null)?.earned ?? 0).toBe(0);
  });

  it("earned points on the demo orders, some pending, some expired or expiring, some redeemed", async () => {
    const count = async (sql: string) => Number((await dataSource.query(sql))[0].n);
    // The demo programme started 400 days before today: orders since then earned.
    const launched = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 400 * 86_400_000;
    const placed: { placed_at: string }[] = await dataSource.query(
      "SELECT placed_at FROM orders WHERE status = 'completed'",
    );
    const orders = placed.filter((o) => fromSqlDateTime(o.placed_at)!.getTime() >= launched).length;
    expect(orders).toBeGreaterThan(0);
    expect(orders).toBeLessThan(placed.length);
    expect(
      await count("SELECT COUNT(*) AS n FROM loyalty_entries WHERE operation = 'order_earn'"),
    ).toBe(orders);
    expect(await count("SELECT COUNT(*) AS n FROM loyalty_entries WHERE type = 'reverse'")).toBe(0);
    expect(
      await count("SELECT COUNT(*) AS n FROM loyalty_accounts WHERE pending > 0"),
    ).toBeGreaterThan(0);
    expect(
      await count("SELECT COUNT(*) AS n FROM loyalty_entries WHERE type = 'expire'"),
    ).toBeGreaterThan(0);
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM loyalty_lots WHERE is_open = 1 AND remaining > 0 AND available = 1 " +
          `AND expires_at < '${new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10)}'`,
      ),
    ).toBeGreaterThan(0);
    expect(await count("SELECT COUNT(*) AS n FROM loyalty_redemptions")).toBeGreaterThan(10);
    // Nothing was due any more once the demo settled.
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM loyalty_lots WHERE available = 0 AND pending_until <= '${new Date().toISOString().slice(0, 10)}'`,
      ),
    ).toBe(0);
    const report = await reconcileLoyalty(dataSource);
    expect(report.accountsWithDrift).toBe(0);
  });
});
