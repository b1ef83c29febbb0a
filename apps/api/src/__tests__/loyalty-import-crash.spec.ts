import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../modules/audit/audit.service";
import { ImportService } from "../modules/import/import.service";
import { reconcileLoyalty } from "../modules/loyalty/loyalty-reconcile";
import { LoyaltyService } from "../modules/loyalty/loyalty.service";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { compileApi, type CompiledApi } from "./compiled-api";

// An import back-filling points (earnPoints) killed with SIGKILL part way through its orders,
// then run again, must leave the ledger one clean import leaves: each batch writes its orders
// and their points in one transaction, and the rerun earns only the orders that have not
// earned (idempotent by order). The killed import is the CLI's path: importCsvInWorker, whose
// worker composes the loyalty service itself.

const CUSTOMERS = 2000;
const ORDERS_EACH = 5;
const BATCH = 400;
const DAY = 86_400_000;
const START = Date.parse("2024-01-01T00:00:00Z");
const actor = systemActor("test");

function writeFiles(dir: string): { customersFile: string; ordersFile: string } {
  const customers = [
    "external_id,email,name,created_at,acquisition_channel,acquisition_cost,tags,nps",
  ];
  const orders = ["external_id,customer_external_id,placed_at,amount,margin,currency,status"];
  for (let c = 0; c < CUSTOMERS; c++) {
    customers.push(`k${c},,K ${c},2024-01-01,email,0.00,,`);
    for (let o = 0; o < ORDERS_EACH; o++) {
      // Spread over two years: later orders find earlier lots activated and some expired.
      const at = new Date(START + ((c * 7 + o * 150) % 700) * DAY + o * 1000).toISOString();
      const status = (c + o) % 11 === 0 ? "refunded" : "completed";
      orders.push(
        `k${c}-${o},k${c},${at},${5 + ((c * 13 + o) % 200)}.${(c + o) % 100},,USD,${status}`,
      );
    }
  }
  const customersFile = path.join(dir, "customers.csv");
  const ordersFile = path.join(dir, "orders.csv");
  writeFileSync(customersFile, customers.join("\n") + "\n");
  writeFileSync(ordersFile, orders.join("\n") + "\n");
  return { customersFile, ordersFile };
}

function importer(dataSource: DataSource): ImportService {
  const loyalty = new LoyaltyService(dataSource, { defaultMarginRate: "0.3" });
  return new ImportService(dataSource, {
    currency: "USD",
    orderBatchSize: BATCH,
    onOrdersImported: (manager, orders) =>
      loyalty.earnForOrders(manager, orders, { clock: "placed_at" }),
  });
}

/**
 * The ledger's rows and the cached accounts as text to compare, with customer and order ids
 * replaced by their external ids (a killed transaction may leave a gap in auto-increment ids).
 */
async function ledgerOf(dataSource: DataSource): Promise<string[]> {
  const customerIds = new Map<string, string>();
  for (const row of (await dataSource.query("SELECT id, external_id FROM customers")) as {
    id: number;
    external_id: string;
  }[]) {
    customerIds.set(String(row.id), row.external_id);
  }
  const orderIds = new Map<string, string>();
  for (const row of (await dataSource.query("SELECT id, external_id FROM orders")) as {
    id: number;
    external_id: string;
  }[]) {
    orderIds.set(String(row.id), row.external_id);
  }
  const text = (row: Record<string, unknown>) => {
    const copy = { ...row };
    if (copy.source_kind === "order" && copy.source_id !== null) {
      copy.source_id = orderIds.get(String(copy.source_id)) ?? copy.source_id;
    }
    for (const column of ["account_id", "customer_id"]) {
      if (column in copy) copy[column] = customerIds.get(String(copy[column])) ?? copy[column];
    }
    return JSON.stringify(copy).replace(
      /order:(\d+)/g,
      (_, id: string) => `order:${orderIds.get(id) ?? `?${id}`}`,
    );
  };
  const rows = async (sql: string) =>
    ((await dataSource.query(sql)) as Record<string, unknown>[]).map(text).sort();
  return [
    ...(await rows(
      "SELECT account_id, seq, type, at, points, available_change, pending_change, reason, source, " +
        "source_kind, source_id, operation, idempotency_key, activated_lot, activated_points, " +
        "clawback_json, refund_json FROM loyalty_entries",
    )),
    ...(await rows("SELECT * FROM loyalty_lot_changes")),
    ...(await rows("SELECT * FROM loyalty_lots")),
    ...(await rows("SELECT * FROM loyalty_accounts")),
  ];
}

async function earnedOrders(dataSource: DataSource): Promise<number> {
  const [row] = (await dataSource.query(
    "SELECT COUNT(*) AS n FROM loyalty_entries WHERE operation = 'order_earn'",
  )) as { n: number | string }[];
  return Number(row?.n ?? 0);
}

describe("an import earning points killed part way (SIGKILL), then run again", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-import-earn-crash-"));
  const files = writeFiles(dir);
  let api: CompiledApi;
  let crashed: TestDatabase;
  let clean: TestDatabase;

  beforeAll(async () => {
    [api, crashed, clean] = await Promise.all([
      compileApi(),
      createTestDatabase("vt_import_earn_crash"),
      createTestDatabase("vt_import_earn_clean"),
    ]);
  }, 300_000);

  afterAll(async () => {
    api?.remove();
    await crashed?.drop();
    await clean?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("ends with the ledger of one clean import", async () => {
    const first = await importer(clean.dataSource).importCsv({
      ...files,
      actor,
      earnPoints: true,
    });
    expect(first.errorCount).toBe(0);
    const total = await earnedOrders(clean.dataSource);
    expect(total).toBe(first.loyalty!.ordersEarned);
    expect(total).toBeGreaterThan(CUSTOMERS * 4);

    const script = `
      const api = require(${JSON.stringify(`${api.dir}/index.js`)});
      api.importCsvInWorker({
        database: { databaseUrl: process.env.VT_URL },
        service: { currency: "USD", orderBatchSize: ${BATCH} },
        customersFile: process.env.VT_CUSTOMERS,
        ordersFile: process.env.VT_ORDERS,
        actor: api.systemActor("child"),
        earnPoints: true,
      }).then(() => process.exit(0), (e) => { console.error(e); process.exit(3); });`;
    const child = spawn(process.execPath, ["-e", script], {
      env: {
        ...process.env,
        VT_URL: crashed.url,
        VT_CUSTOMERS: files.customersFile,
        VT_ORDERS: files.ordersFile,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    for (let i = 0; i < 6000; i++) {
      if ((await earnedOrders(crashed.dataSource)) > 0) break;
      await sleep(5);
    }
    child.kill("SIGKILL");
    const code = await exited;
    expect(stderr).toBe("");
    expect(code).toBeNull(); // killed, not finished
    const afterKill = await earnedOrders(crashed.dataSource);
    expect(afterKill).toBeGreaterThan(0);
    expect(afterKill).toBeLessThan(total);
    // What committed is whole batches: every order written so far earned (or was refunded).
    const [unearned] = (await crashed.dataSource.query(
      "SELECT COUNT(*) AS n FROM orders o WHERE o.status = 'completed' AND NOT EXISTS " +
        "(SELECT 1 FROM loyalty_entries e WHERE e.account_id = o.customer_id " +
        "AND e.source = CONCAT('order:', o.id) AND e.operation = 'order_earn')",
    )) as { n: number | string }[];
    expect(Number(unearned!.n)).toBe(0);

    const rerun = await importer(crashed.dataSource).importCsv({
      ...files,
      actor,
      earnPoints: true,
    });
    expect(rerun.loyalty!.ordersEarned).toBe(total - afterKill);
    expect(await ledgerOf(crashed.dataSource)).toEqual(await ledgerOf(clean.dataSource));
    const report = await reconcileLoyalty(crashed.dataSource);
    expect(report).toMatchObject({
      accounts: CUSTOMERS,
      accountsWithDrift: 0,
      lotDrift: [],
      entryDrift: [],
    });
    // A third run changes nothing.
    const again = await importer(crashed.dataSource).importCsv({
      ...files,
      actor,
      earnPoints: true,
    });
    expect(again.loyalty!.ordersEarned).toBe(0);
    expect(await earnedOrders(crashed.dataSource)).toBe(total);
  }, 300_000);
});
