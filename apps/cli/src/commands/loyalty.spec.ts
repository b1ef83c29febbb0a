import { createTestDatabase, type TestDatabase } from "@valuetier/api/testing";
import { LoyaltyService, ImportService, systemActor } from "@valuetier/api";
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

const DAY = 86_400_000;

describe("valuetier loyalty", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase("vt_cli_loyalty");
    const actor = systemActor("test");
    // Points earned 400 days ago: past the default 30-day return window and the 365-day expiry.
    const earnedAt = new Date(Date.now() - 400 * DAY);
    const loyalty = new LoyaltyService(db.dataSource, {
      defaultMarginRate: "0.3",
      now: () => earnedAt,
    });
    const imports = new ImportService(db.dataSource, {
      currency: "USD",
      now: () => earnedAt,
      onOrdersRecorded: (manager, orders) => loyalty.earnForOrders(manager, orders),
    });
    await imports.upsertCustomers(
      [{ external_id: "c1", email: "", name: "C", created_at: "2025-01-01" }],
      actor,
    );
    // A $75.40 order recorded then earns 75 points, pending for the 30-day return window.
    const recorded = await imports.recordOrders(
      [
        {
          external_id: "o1",
          customer_external_id: "c1",
          placed_at: earnedAt.toISOString(),
          amount: "75.40",
          margin: "",
          currency: "USD",
          status: "completed",
        },
      ],
      actor,
    );
    expect(recorded.counts.created).toBe(1);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it("activate, then again: the second run changes nothing", async () => {
    const first = await run("loyalty", "activate", "--database-url", db.url, "--json");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ accounts: 1, entries: 1, points: 75 });
    const second = await run("loyalty", "activate", "--database-url", db.url, "--json");
    expect(JSON.parse(second.stdout)).toMatchObject({ accounts: 0, entries: 0, points: 0 });
  });

  it("refuses an --as-of later than now, changing nothing", async () => {
    const jobs = async () =>
      Number((await db.dataSource.query("SELECT COUNT(*) AS n FROM jobs"))[0].n);
    const jobsBefore = await jobs();
    const tomorrow = new Date(Date.now() + DAY).toISOString();
    const refused = await run("loyalty", "expire", "--as-of", tomorrow, "--database-url", db.url);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /^valuetier: --as-of: .* is later than the server clock .*\(AS_OF_IN_FUTURE\)$/m,
    );
    expect(await jobs()).toBe(jobsBefore);
  });

  it("expire as of an earlier instant, twice; reconcile finds no drift", async () => {
    // The points expired 35 days ago (365 days after they were earned).
    const later = new Date(Date.now() - DAY).toISOString();
    const first = await run(
      "loyalty",
      "expire",
      "--as-of",
      later,
      "--database-url",
      db.url,
      "--json",
    );
    expect(JSON.parse(first.stdout)).toMatchObject({ entries: 1, points: 75, asOf: later });
    const second = await run("loyalty", "expire", "--as-of", later, "--database-url", db.url);
    expect(second.stdout).toMatch(/^expired 0 points/);
    const reconcile = await run("loyalty", "reconcile", "--database-url", db.url, "--json");
    expect(reconcile.code).toBe(0);
    expect(JSON.parse(reconcile.stdout)).toMatchObject({
      accounts: 1,
      drift: [],
      lotDrift: [],
      entryDrift: [],
    });
  });

  it("refuses a bad --as-of with one line", async () => {
    const bad = await run("loyalty", "expire", "--as-of", "tomorrow", "--database-url", db.url);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/--as-of/);
  });
});
