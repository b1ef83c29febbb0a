import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@valuetier/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../main";

async function run(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(["node", "valuetier", ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

describe("valuetier import --earn-points", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-cli-import-earn-"));
  const customers = path.join(dir, "customers.csv");
  const orders = path.join(dir, "orders.csv");
  let db: TestDatabase;
  const earnEntries = async () =>
    Number(
      (
        await db.dataSource.query(
          "SELECT COUNT(*) AS n FROM loyalty_entries WHERE operation = 'order_earn'",
        )
      )[0].n,
    );

  beforeAll(async () => {
    db = await createTestDatabase("vt_cli_import_earn");
    expect((await run("generate", "--customers", "30", "--seed", "5", "--out", dir)).code).toBe(0);
  });

  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("earns nothing without the option, then back-fills once with it", async () => {
    const plain = await run(
      "import",
      "--customers",
      customers,
      "--orders",
      orders,
      "--database-url",
      db.url,
      "--json",
    );
    expect(plain.code).toBe(0);
    expect(Object.keys(JSON.parse(plain.stdout))).toEqual(["customers", "orders", "errors"]);
    expect(await earnEntries()).toBe(0);

    const earned = await run(
      "import",
      "--orders",
      orders,
      "--database-url",
      db.url,
      "--earn-points",
      "--json",
    );
    expect(earned.code).toBe(0);
    const report = JSON.parse(earned.stdout);
    const [{ n: completed }] = await db.dataSource.query(
      "SELECT COUNT(*) AS n FROM orders WHERE status = 'completed'",
    );
    expect(report.loyalty.ordersEarned).toBe(Number(completed));
    expect(report.loyalty.pointsEarned).toBeGreaterThan(0);
    expect(await earnEntries()).toBe(Number(completed));

    const again = await run(
      "import",
      "--orders",
      orders,
      "--database-url",
      db.url,
      "--earn-points",
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      "points     earned 0 on 0 orders, reversed 0 on 0 refunded orders",
    );
    expect(await earnEntries()).toBe(Number(completed));
  });

  it("refuses --earn-points without an orders file", async () => {
    const result = await run(
      "import",
      "--customers",
      customers,
      "--database-url",
      db.url,
      "--earn-points",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--earn-points: give --orders FILE/);
  });
});
