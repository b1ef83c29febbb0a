import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  checkCustomerAggregates,
  createTestDatabase,
  type TestDatabase,
} from "@valuetier/api/testing";
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

describe("valuetier import", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-cli-import-"));
  const customers = path.join(dir, "customers.csv");
  const orders = path.join(dir, "orders.csv");
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase("vt_cli_import");
    expect((await run("generate", "--customers", "40", "--seed", "3", "--out", dir)).code).toBe(0);
    // One bad order, appended to the generated file.
    writeFileSync(
      orders,
      readFileSync(orders, "utf8") + "BAD-1,C0000001,2024-01-01,-5.00,,USD,completed\n",
    );
  });

  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints exactly the documented JSON and is idempotent", async () => {
    const errorsFile = path.join(dir, "errors.csv");
    const first = await run(
      "import",
      "--customers",
      customers,
      "--orders",
      orders,
      "--database-url",
      db.url,
      "--errors",
      errorsFile,
      "--json",
    );
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(Object.keys(report)).toEqual(["customers", "orders", "errors"]);
    expect(Object.keys(report.customers)).toEqual([
      "read",
      "imported",
      "created",
      "updated",
      "unchanged",
      "rejected",
    ]);
    expect(report.customers).toEqual({
      read: 40,
      imported: 40,
      created: 40,
      updated: 0,
      unchanged: 0,
      rejected: 0,
    });
    const orderLines = readFileSync(orders, "utf8").trimEnd().split("\n").length;
    expect(report.orders).toEqual({
      read: orderLines - 1,
      imported: orderLines - 2,
      created: orderLines - 2,
      updated: 0,
      unchanged: 0,
      rejected: 1,
    });
    expect(report.errors).toEqual([
      {
        file: orders,
        line: orderLines,
        reason: 'amount: must not be negative, got -5.00 (record refunds with status "refunded")',
      },
    ]);
    expect(readFileSync(errorsFile, "utf8")).toBe(
      `file,line,reason\n${orders},${orderLines},"amount: must not be negative, got -5.00 (record refunds with status ""refunded"")"\n`,
    );

    const second = await run(
      "import",
      "--customers",
      customers,
      "--orders",
      orders,
      "--database-url",
      db.url,
      "--json",
    );
    expect(JSON.parse(second.stdout)).toMatchObject({
      customers: { imported: 0, unchanged: 40 },
      orders: { imported: 0, unchanged: orderLines - 2, rejected: 1 },
    });
    const [{ n }] = await db.dataSource.query(
      "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import.csv' AND actor_label = 'cli'",
    );
    expect(Number(n)).toBe(2);
  });

  it("says plainly how many rows changed customers that were already stored", async () => {
    // The same customers.csv with two customers renamed and one new customer.
    const lines = readFileSync(customers, "utf8").trimEnd().split("\n");
    const changed = lines.map((line, i) =>
      i === 1 || i === 2 ? line.replace(/^([^,]*),([^,]*),([^,]*),/, "$1,$2,Renamed $3,") : line,
    );
    changed.push("C9999999,new.one@example.test,New One,2024-01-01T00:00:00Z,organic,0.00,,");
    const file = path.join(dir, "customers-changed.csv");
    writeFileSync(file, changed.join("\n") + "\n");
    const json = await run("import", "--customers", file, "--database-url", db.url, "--json");
    expect(JSON.parse(json.stdout).customers).toEqual({
      read: 41,
      imported: 3,
      created: 1,
      updated: 2,
      unchanged: 38,
      rejected: 0,
    });
    const text = await run("import", "--customers", file, "--database-url", db.url);
    expect(text.stdout).toContain(
      "customers  read 41, imported 0 (0 new, 0 changed existing customers), unchanged 41, rejected 0",
    );
  });

  it("exits 1 with one line for unusable input", async () => {
    const missing = await run(
      "import",
      "--customers",
      path.join(dir, "nope.csv"),
      "--database-url",
      db.url,
    );
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toMatch(/^valuetier: --customers: file not found: .*nope\.csv\n$/);

    const noColumn = path.join(dir, "no-column.csv");
    writeFileSync(noColumn, "external_id,email\nC1,a@example.com\n");
    const bad = await run("import", "--customers", noColumn, "--database-url", db.url, "--json");
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(
      /^valuetier: .*no-column\.csv: missing required columns name, created_at, acquisition_channel, acquisition_cost/,
    );

    const neither = await run("import", "--database-url", db.url);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toMatch(/give --customers FILE, --orders FILE or both/);
  });

  it("in strict mode writes nothing, prints the report and exits 1", async () => {
    const strictOrders = path.join(dir, "strict-orders.csv");
    writeFileSync(
      strictOrders,
      "external_id,customer_external_id,placed_at,amount,margin,currency,status\n" +
        "NEW-1,C0000001,2026-01-01,5.00,,USD,completed\nNEW-2,C0000001,2026-01-01,5.00,,USD,lost\n" +
        "NEW-3,C0000001,2026-01-01,500,,JPY,completed\n",
    );
    const result = await run(
      "import",
      "--orders",
      strictOrders,
      "--database-url",
      db.url,
      "--strict",
      "--json",
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      orders: { read: 3, imported: 0, unchanged: 0, rejected: 2 },
      errors: [
        { line: 3 },
        {
          line: 4,
          reason: expect.stringMatching(/currency: is JPY, but the store's currency is USD/),
        },
      ],
    });
    expect(result.stderr).toMatch(/valuetier: --strict: 2 rows rejected, nothing was written/);
    const [{ n }] = await db.dataSource.query(
      "SELECT COUNT(*) AS n FROM orders WHERE external_id = 'NEW-1'",
    );
    expect(Number(n)).toBe(0);
  });

  it("uses the embedded SQLite file without a database URL", async () => {
    const dataDir = path.join(dir, "data");
    const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
    process.env.DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    try {
      const result = await run("import", "--customers", customers, "--json");
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).customers).toEqual({
        read: 40,
        imported: 40,
        created: 40,
        updated: 0,
        unchanged: 0,
        rejected: 0,
      });
      expect(readFileSync(path.join(dataDir, "valuetier.sqlite")).length).toBeGreaterThan(0);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it("on Ctrl-C stops after the batches under way, with every customer's totals those of its written orders", async () => {
    const big = path.join(dir, "big");
    const generated = await run(
      "generate",
      "--customers",
      "5000",
      "--seed",
      "5",
      "--out",
      big,
      "--json",
    );
    expect(generated.code).toBe(0);
    const inFile = (JSON.parse(generated.stdout) as { orders: number }).orders;
    const stopped = await createTestDatabase("vt_cli_import_stop");
    try {
      const ordersIn = async () =>
        Number((await stopped.dataSource.query("SELECT COUNT(*) AS n FROM orders"))[0].n);
      let interrupt: ((exitCode: number) => void) | undefined;
      let unregistered = false;
      let stderr = "";
      const args = [
        "import",
        "--customers",
        path.join(big, "customers.csv"),
        "--orders",
        path.join(big, "orders.csv"),
        "--database-url",
        stopped.url,
        "--json",
      ];
      const running = main(["node", "valuetier", ...args], {
        stdout: () => undefined,
        stderr: (t) => (stderr += t),
        onInterrupt: (handler) => {
          interrupt = handler;
          return () => (unregistered = true);
        },
      });
      // Ctrl-C once the first orders are in.
      while ((await ordersIn()) === 0) await new Promise((r) => setTimeout(r, 20));
      interrupt!(130);
      expect(await running).toBe(1);
      expect(unregistered).toBe(true);
      expect(stderr).toContain("stopping after the batches under way");
      expect(stderr).toContain("stopped: the batches written so far are kept");
      // Stopped half way (a rerun finishing the import is import-resume.spec's subject).
      const written = await ordersIn();
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThan(inFile);
      // Customers were written with the totals of all their orders in the file; stopped half
      // way, each holds those of the orders that were written.
      expect(await checkCustomerAggregates(stopped.dataSource)).toMatchObject({
        customers: 5000,
        right: 5000,
      });
    } finally {
      await stopped.drop();
    }
  });
});
