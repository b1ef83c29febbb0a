import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource } from "../../db/data-source";
import { fromSqlDateTime } from "../../db/sql-values";
import { createTestDatabase } from "../../testing/test-database";
import { systemActor } from "../audit/audit.service";
import { reconcileLoyalty } from "../loyalty/loyalty-reconcile";
import { LoyaltyService } from "../loyalty/loyalty.service";
import { ImportService } from "./import.service";

const DAY = 86_400_000;
const actor = systemActor("test");
const now = new Date("2026-01-01T00:00:00Z");

const CUSTOMERS = [
  "external_id,email,name,created_at,acquisition_channel,acquisition_cost,tags,nps",
  "C1,c1@example.com,One,2024-01-01,email,0.00,,",
  "C2,c2@example.com,Two,2024-01-01,email,0.00,,",
].join("\n");

const HEADER = "external_id,customer_external_id,placed_at,amount,margin,currency,status";
// In batches of two: [O2, O1] (out of date order within the batch: each batch earns a
// customer's orders in placed-at order), [O3, O4], [O5].
const ORDERS = [
  HEADER,
  "O2,C1,2024-03-01T10:00:00Z,50.00,,USD,completed",
  "O1,C1,2024-02-01T10:00:00Z,100.00,,USD,completed",
  "O3,C2,2024-06-01T10:00:00Z,20.00,,USD,completed",
  "O4,C1,2025-06-01T10:00:00Z,10.00,,USD,completed",
  "O5,C2,2024-06-02T10:00:00Z,30.00,,USD,refunded", // refunded before it ever earned
].join("\n");
// The same orders, O2 now refunded.
const ORDERS_REFUND = ORDERS.replace("50.00,,USD,completed", "50.00,,USD,refunded");

interface Opened {
  dataSource: DataSource;
  drop(): Promise<void>;
}

function describeImportEarning(label: string, open: () => Promise<Opened>): void {
  describe(`CSV import earning points (earnPoints) on ${label}`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vt-import-earn-"));
    const file = (name: string, text: string) => {
      const p = path.join(dir, name);
      writeFileSync(p, text + "\n");
      return p;
    };
    let db: Opened;
    let loyalty: LoyaltyService;
    let imports: ImportService;

    const entries = async () =>
      (await db.dataSource.query(
        "SELECT c.external_id AS customer, e.seq, e.type, e.at, e.points, e.source, e.idempotency_key " +
          "FROM loyalty_entries e JOIN customers c ON c.id = e.account_id ORDER BY c.external_id, e.seq",
      )) as {
        customer: string;
        seq: number;
        type: string;
        at: Date | string;
        points: number | string;
        source: string;
        idempotency_key: string | null;
      }[];

    beforeAll(async () => {
      db = await open();
      loyalty = new LoyaltyService(db.dataSource, { defaultMarginRate: "0.3", now: () => now });
      imports = new ImportService(db.dataSource, {
        currency: "USD",
        now: () => now,
        orderBatchSize: 2,
        onOrdersImported: (manager, orders) =>
          loyalty.earnForOrders(manager, orders, { clock: "placed_at" }),
      });
    });

    afterAll(async () => {
      await db?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("earns nothing without the option", async () => {
      const result = await imports.importCsv({
        customersFile: file("customers.csv", CUSTOMERS),
        ordersFile: file("orders.csv", ORDERS),
        actor,
      });
      expect(result.orders.created).toBe(5);
      expect(result.loyalty).toBeUndefined();
      expect(await entries()).toEqual([]);
      const [accounts] = await db.dataSource.query("SELECT COUNT(*) AS n FROM loyalty_accounts");
      expect(Number(accounts.n)).toBe(0);
    });

    it("back-fills the orders already imported, each at its own date, lots dated from it", async () => {
      const result = await imports.importCsv({
        ordersFile: path.join(dir, "orders.csv"),
        actor,
        earnPoints: true,
      });
      expect(result.orders.unchanged).toBe(5);
      expect(result.loyalty).toEqual({
        ordersEarned: 4,
        pointsEarned: 100 + 50 + 20 + 10,
        ordersReversed: 0,
        pointsReversed: 0,
      });
      const list = await entries();
      const earns = list.filter((e) => e.type === "earn");
      expect(
        earns.map((e) => [
          e.customer,
          e.source,
          Number(e.points),
          fromSqlDateTime(e.at)!.toISOString(),
        ]),
      ).toEqual([
        ["C1", expect.stringMatching(/^order:/), 100, "2024-02-01T10:00:00.000Z"],
        ["C1", expect.stringMatching(/^order:/), 50, "2024-03-01T10:00:00.000Z"],
        ["C1", expect.stringMatching(/^order:/), 10, "2025-06-01T10:00:00.000Z"],
        ["C2", expect.stringMatching(/^order:/), 20, "2024-06-01T10:00:00.000Z"],
      ]);
      // The ledger clock never goes back within an account.
      for (const customer of ["C1", "C2"]) {
        const times = list
          .filter((e) => e.customer === customer)
          .map((e) => fromSqlDateTime(e.at)!.getTime());
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
      // By O4 (2025-06-01), O1's and O2's lots had become available (30 days) and expired
      // (365 days after earning): the history is replayed as the rules say.
      const c1 = list.filter((e) => e.customer === "C1").map((e) => e.type);
      expect(c1.filter((t) => t === "activate")).toHaveLength(2);
      expect(c1.filter((t) => t === "expire")).toHaveLength(2);
      const lots = (await db.dataSource.query(
        "SELECT l.source, l.points, l.remaining, l.earned_at, l.pending_until, l.expires_at, l.available " +
          "FROM loyalty_lots l JOIN customers c ON c.id = l.account_id WHERE c.external_id = 'C1' ORDER BY l.lot_no",
      )) as Record<string, unknown>[];
      expect(lots).toHaveLength(3);
      for (const lot of lots) {
        const earned = fromSqlDateTime(lot.earned_at as string)!.getTime();
        expect(fromSqlDateTime(lot.pending_until as string)!.getTime()).toBe(earned + 30 * DAY);
        expect(fromSqlDateTime(lot.expires_at as string)!.getTime()).toBe(earned + 365 * DAY);
      }
      expect(lots.map((l) => Number(l.remaining))).toEqual([0, 0, 10]);
      // Seen now (2026-01-01), O4's lot is past its return window: available, though the stored
      // lot waits for the activation job.
      const c1Account = await loyalty.account(await customerId("C1"));
      expect(c1Account).toMatchObject({
        balance: 10,
        available: 10,
        pending: 0,
        lifetimeEarned: 160,
        expired: 150,
      });
      const report = await reconcileLoyalty(db.dataSource);
      expect(report.accountsWithDrift).toBe(0);
      expect(report.accounts).toBe(2);
    });

    it("earns nothing twice when the same file is imported again", async () => {
      const before = await entries();
      const result = await imports.importCsv({
        customersFile: path.join(dir, "customers.csv"),
        ordersFile: path.join(dir, "orders.csv"),
        actor,
        earnPoints: true,
      });
      expect(result.loyalty).toEqual({
        ordersEarned: 0,
        pointsEarned: 0,
        ordersReversed: 0,
        pointsReversed: 0,
      });
      expect(await entries()).toEqual(before);
    });

    it("reverses an order the file now says is refunded, once", async () => {
      const refunded = file("orders-refund.csv", ORDERS_REFUND);
      const first = await imports.importCsv({ ordersFile: refunded, actor, earnPoints: true });
      expect(first.orders.updated).toBe(1);
      expect(first.loyalty).toMatchObject({ ordersEarned: 0, ordersReversed: 1 });
      const reversal = (await entries()).filter((e) => e.type === "reverse");
      expect(reversal).toHaveLength(1);
      expect(reversal[0]!.idempotency_key).toMatch(/^order:\d+:refund$/);
      const again = await imports.importCsv({ ordersFile: refunded, actor, earnPoints: true });
      expect(again.loyalty).toMatchObject({ ordersEarned: 0, ordersReversed: 0 });
      expect((await entries()).filter((e) => e.type === "reverse")).toHaveLength(1);
      expect((await reconcileLoyalty(db.dataSource)).accountsWithDrift).toBe(0);
    });

    it("earns an order older than its customer's last entry at that entry's time (the clock never goes back)", async () => {
      const late = file(
        "orders-late.csv",
        [HEADER, "O6,C2,2024-05-01T10:00:00Z,7.00,,USD,completed"].join("\n"),
      );
      const result = await imports.importCsv({ ordersFile: late, actor, earnPoints: true });
      expect(result.loyalty).toMatchObject({ ordersEarned: 1, pointsEarned: 7 });
      const c2 = (await entries()).filter((e) => e.customer === "C2" && e.type === "earn");
      expect(c2.map((e) => [Number(e.points), fromSqlDateTime(e.at)!.toISOString()])).toEqual([
        [20, "2024-06-01T10:00:00.000Z"],
        [7, "2024-06-01T10:00:00.000Z"],
      ]);
    });

    it("refuses earnPoints when the service has no loyalty hook, before writing anything", async () => {
      const plain = new ImportService(db.dataSource, { currency: "USD", now: () => now });
      await expect(
        plain.importCsv({ ordersFile: path.join(dir, "orders.csv"), actor, earnPoints: true }),
      ).rejects.toThrow(/earnPoints/);
    });

    async function customerId(externalId: string): Promise<number> {
      const rows: { id: number }[] = await db.dataSource.query(
        "SELECT id FROM customers WHERE external_id = ?",
        [externalId],
      );
      return Number(rows[0]!.id);
    }
  });
}

describeImportEarning("MySQL", () => createTestDatabase("vt_import_earn"));

describeImportEarning("the embedded SQLite database", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-import-earn-sqlite-"));
  const dataSource = createDataSource({ sqlitePath: path.join(dir, "earn.sqlite") });
  await dataSource.initialize();
  return {
    dataSource,
    async drop() {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
