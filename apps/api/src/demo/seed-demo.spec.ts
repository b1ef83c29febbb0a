import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource } from "../db/data-source";
import { fromSqlDateTime } from "../db/sql-values";
import { reconcileLoyalty } from "../modules/loyalty/loyalty-reconcile";
import { LoyaltyService } from "../modules/loyalty/loyalty.service";
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
      { customers: CUSTOMERS },
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
