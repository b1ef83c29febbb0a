import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../modules/audit/audit.service";
import { ImportService } from "../modules/import/import.service";
import { reconcileLoyalty } from "../modules/loyalty/loyalty-reconcile";
import { LoyaltyService } from "../modules/loyalty/loyalty.service";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";

// 50 clients recording new orders one per call, each order earning points in the call's
// transaction. Before first-time accounts and new orders were written without locking reads of
// missing keys, concurrent calls deadlocked on each other's gap locks until some gave up BUSY
// (about 1 call in 4 here, 1 in 20 without loyalty).

const actor = systemActor("test");
const CUSTOMERS = 300;
const ORDERS = 600;

describe("orders recorded by 50 concurrent clients, each earning points", () => {
  let db: TestDatabase;
  let imports: ImportService;

  beforeAll(async () => {
    db = await createTestDatabase("vt_loyalty_conc");
    const loyalty = new LoyaltyService(db.dataSource, { defaultMarginRate: "0.3" });
    imports = new ImportService(db.dataSource, {
      currency: "USD",
      onOrdersRecorded: (manager, orders) => loyalty.earnForOrders(manager, orders),
    });
    await imports.upsertCustomers(
      Array.from({ length: CUSTOMERS }, (_, i) => ({
        external_id: `c${i}`,
        email: "",
        name: `c${i}`,
        created_at: "2025-01-01",
      })),
      actor,
    );
  });

  afterAll(async () => {
    await db?.drop();
  });

  it("every call commits (no BUSY) and the ledger reconciles", async () => {
    let next = 0;
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < ORDERS) {
          const i = next++;
          try {
            const result = await imports.recordOrders(
              [
                {
                  external_id: `o${i}`,
                  customer_external_id: `c${i % CUSTOMERS}`,
                  placed_at: "2026-11-01T00:00:00Z",
                  amount: "12.34",
                  margin: "",
                  currency: "USD",
                  status: "completed",
                },
              ],
              actor,
            );
            if (result.counts.created !== 1) failures.push(`o${i}: ${JSON.stringify(result)}`);
          } catch (error) {
            failures.push(`o${i}: ${String(error)}`);
          }
        }
      }),
    );
    expect(failures).toEqual([]);
    const [totals] = (await db.dataSource.query(
      "SELECT COUNT(*) AS accounts, SUM(balance) AS points FROM loyalty_accounts",
    )) as { accounts: number | string; points: number | string }[];
    expect(Number(totals?.accounts)).toBe(CUSTOMERS);
    expect(Number(totals?.points)).toBe(ORDERS * 12);
    const report = await reconcileLoyalty(db.dataSource);
    expect(report).toMatchObject({ accountsWithDrift: 0, lotDrift: [], entryDrift: [] });
  }, 300_000);
});
