import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../modules/audit/audit.service";
import { ImportService } from "../modules/import/import.service";
import { JobBusyError, JobRunner } from "../modules/jobs/job-runner";
import { LOYALTY_EXPIRE_JOB, registerLoyaltyJobs } from "../modules/loyalty/loyalty-jobs";
import { reconcileLoyalty } from "../modules/loyalty/loyalty-reconcile";
import { LoyaltyService } from "../modules/loyalty/loyalty.service";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { compileApi, type CompiledApi } from "./compiled-api";

// An expiry job killed (SIGKILL) part way, then run again, must leave the ledger a clean run
// leaves: each transaction of the job expires whole accounts, and a second pass finds only
// what the first did not commit.

const CUSTOMERS = 4000;
const EARNED_AT = new Date("2025-01-10T12:00:00Z");
const AS_OF = new Date("2026-03-01T00:00:00Z").toISOString();
const actor = systemActor("test");

/** Customers with one order each, earned at EARNED_AT (pending 30 days, expiring after 365). */
async function seed(dataSource: DataSource): Promise<void> {
  const loyalty = new LoyaltyService(dataSource, {
    defaultMarginRate: "0.3",
    now: () => EARNED_AT,
  });
  const imports = new ImportService(dataSource, {
    currency: "USD",
    now: () => EARNED_AT,
    onOrdersRecorded: (manager, orders) => loyalty.earnForOrders(manager, orders),
  });
  for (let from = 0; from < CUSTOMERS; from += 1000) {
    const ids = Array.from({ length: 1000 }, (_, i) => `c${from + i}`);
    await imports.upsertCustomers(
      ids.map((id) => ({ external_id: id, email: "", name: id, created_at: "2025-01-01" })),
      actor,
    );
    await imports.recordOrders(
      ids.map((id, i) => ({
        external_id: `o-${id}`,
        customer_external_id: id,
        placed_at: EARNED_AT.toISOString(),
        amount: `${10 + ((from + i) % 90)}.00`,
        margin: "",
        currency: "USD",
        status: "completed",
      })),
      actor,
    );
  }
}

async function runExpiry(dataSource: DataSource, logged: string[] = []): Promise<void> {
  const log = { error: (message: string) => logged.push(message) };
  const runner = registerLoyaltyJobs(
    new JobRunner(dataSource, { heartbeatMs: 200, log }),
    dataSource,
    {
      defaultMarginRate: "0.3",
    },
  );
  // The killed process's lock is taken over once its heartbeat is stale (6 heartbeats).
  for (let tries = 0; ; tries++) {
    try {
      await runner.run(LOYALTY_EXPIRE_JOB, { now: AS_OF }, actor);
      return;
    } catch (error) {
      if (!(error instanceof JobBusyError) || tries > 100) throw error;
      await sleep(100);
    }
  }
}

/** The ledger's rows and the cached accounts, as text to compare. */
async function ledgerOf(dataSource: DataSource): Promise<string[]> {
  const entries: object[] = await dataSource.query(
    "SELECT account_id, seq, type, at, points, available_change, pending_change, source, operation, " +
      "idempotency_key, activated_lot, activated_points FROM loyalty_entries ORDER BY account_id, seq",
  );
  const changes: object[] = await dataSource.query(
    "SELECT * FROM loyalty_lot_changes ORDER BY account_id, entry_seq, n",
  );
  const lots: object[] = await dataSource.query(
    "SELECT * FROM loyalty_lots ORDER BY account_id, lot_no",
  );
  const accounts: object[] = await dataSource.query(
    "SELECT * FROM loyalty_accounts ORDER BY customer_id",
  );
  return [...entries, ...changes, ...lots, ...accounts].map((row) => JSON.stringify(row));
}

async function expireEntries(dataSource: DataSource): Promise<number> {
  const [row] = (await dataSource.query(
    "SELECT COUNT(*) AS n FROM loyalty_entries WHERE type = 'expire'",
  )) as { n: number | string }[];
  return Number(row?.n ?? 0);
}

describe("loyalty expiry killed part way (SIGKILL), then run again", () => {
  let api: CompiledApi;
  let crashed: TestDatabase;
  let clean: TestDatabase;

  beforeAll(async () => {
    [api, crashed, clean] = await Promise.all([
      compileApi(),
      createTestDatabase("vt_loyalty_crash"),
      createTestDatabase("vt_loyalty_clean"),
    ]);
    await seed(crashed.dataSource);
    await seed(clean.dataSource);
  }, 300_000);

  afterAll(async () => {
    api?.remove();
    await crashed?.drop();
    await clean?.drop();
  });

  it("ends with the ledger of one clean run", async () => {
    await runExpiry(clean.dataSource);
    expect(await expireEntries(clean.dataSource)).toBe(CUSTOMERS);

    const script = `
      const api = require(${JSON.stringify(`${api.dir}/index.js`)});
      (async () => {
        const ds = api.createDataSource({ databaseUrl: process.env.VT_URL });
        await ds.initialize();
        const runner = api.registerLoyaltyJobs(new api.JobRunner(ds, { heartbeatMs: 200 }), ds,
          { defaultMarginRate: "0.3" });
        await runner.run("loyalty-expire", { now: process.env.VT_AS_OF }, api.systemActor("child"));
        process.exit(0);
      })().catch((e) => { console.error(e); process.exit(3); });`;
    const child = spawn(process.execPath, ["-e", script], {
      env: { ...process.env, VT_URL: crashed.url, VT_AS_OF: AS_OF },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    let killedAt = 0;
    for (let i = 0; i < 3000; i++) {
      killedAt = await expireEntries(crashed.dataSource);
      if (killedAt > 0) break;
      await sleep(5);
    }
    child.kill("SIGKILL");
    const code = await exited;
    expect(stderr).toBe("");
    expect(code).toBeNull(); // killed, not finished
    const afterKill = await expireEntries(crashed.dataSource);
    expect(afterKill).toBeGreaterThan(0);
    expect(afterKill).toBeLessThan(CUSTOMERS);

    const logged: string[] = [];
    await runExpiry(crashed.dataSource, logged);
    expect(logged.join("\n")).toMatch(/left unfinished by a stopped process/);
    expect(await ledgerOf(crashed.dataSource)).toEqual(await ledgerOf(clean.dataSource));
    const report = await reconcileLoyalty(crashed.dataSource);
    expect(report).toMatchObject({
      accounts: CUSTOMERS,
      accountsWithDrift: 0,
      lotDrift: [],
      entryDrift: [],
    });
  }, 300_000);
});
