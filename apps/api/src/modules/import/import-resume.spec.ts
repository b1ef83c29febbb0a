import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CUSTOMERS_CSV_HEADER,
  customerCsvLine,
  generateSyntheticData,
  ORDERS_CSV_HEADER,
  orderCsvLine,
} from "@valuetier/domain";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCustomerAggregates } from "../../testing/aggregates-check";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database";
import { systemActor } from "../audit/audit.service";
import { ImportAbortedError } from "./import-errors";
import { ImportService } from "./import.service";

const actor = systemActor("test");

/** Everything an import writes, without ids and timestamps that differ between databases. */
async function snapshot(dataSource: DataSource) {
  const customers = await dataSource.query(
    "SELECT external_id, email, name, first_seen_at, acquisition_channel, acquisition_cost_minor, tags, nps, " +
      "order_count, total_spent_minor, first_order_at, last_order_at FROM customers ORDER BY external_id",
  );
  const orders = await dataSource.query(
    "SELECT o.external_id, c.external_id AS customer, o.placed_at, o.amount_minor, o.margin_minor, o.currency, " +
      "o.status FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.external_id",
  );
  return { customers, orders };
}

describe("an import stopped half way", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-resume-"));
  const customersFile = path.join(dir, "customers.csv");
  const ordersFile = path.join(dir, "orders.csv");
  let clean: TestDatabase;
  let killed: TestDatabase;
  let orderCount = 0;

  beforeAll(async () => {
    let customers = CUSTOMERS_CSV_HEADER;
    let orders = ORDERS_CSV_HEADER;
    for (const history of generateSyntheticData({ customers: 80, seed: 4 })) {
      customers += customerCsvLine(history.customer);
      for (const order of history.orders) orders += orderCsvLine(order);
      orderCount += history.orders.length;
    }
    writeFileSync(customersFile, customers);
    writeFileSync(ordersFile, orders);
    [clean, killed] = await Promise.all([
      createTestDatabase("vt_resume_clean"),
      createTestDatabase("vt_resume_killed"),
    ]);
  });

  afterAll(async () => {
    await Promise.all([clean?.drop(), killed?.drop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const service = (db: TestDatabase) =>
    new ImportService(db.dataSource, {
      currency: "USD",
      now: () => new Date("2025-01-01T00:00:00Z"),
      customerBatchSize: 10,
      orderBatchSize: 100,
    });

  it("ends, when run again, with exactly the rows of one clean run", async () => {
    expect(orderCount).toBeGreaterThan(400);
    const cleanRun = await service(clean).importCsv({ customersFile, ordersFile, actor });
    expect(cleanRun.orders).toEqual({
      read: orderCount,
      imported: orderCount,
      created: orderCount,
      updated: 0,
      unchanged: 0,
      rejected: 0,
    });

    const controller = new AbortController();
    let orderBatches = 0;
    await expect(
      service(killed).importCsv({
        customersFile,
        ordersFile,
        actor,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === "orders" && ++orderBatches === 3) controller.abort();
        },
      }),
    ).rejects.toThrow(ImportAbortedError);
    const partial = await snapshot(killed.dataSource);
    expect(partial.customers).toHaveLength(80);
    expect(partial.orders.length).toBeGreaterThanOrEqual(300);
    expect(partial.orders.length).toBeLessThan(orderCount);
    // The customers were written with the aggregates their orders were to give them; once
    // stopped, each has those of the orders that were written.
    const check = await checkCustomerAggregates(killed.dataSource);
    expect(check.right).toBe(80);
    expect(check.withOrders).toBeGreaterThan(0);
    expect(check.withOrders).toBeLessThan(80);

    const rerun = await service(killed).importCsv({ customersFile, ordersFile, actor });
    expect(rerun.customers).toMatchObject({ read: 80, imported: 0, unchanged: 80, rejected: 0 });
    expect(rerun.orders.unchanged).toBe(partial.orders.length);
    expect(rerun.orders.imported).toBe(orderCount - partial.orders.length);
    expect(await snapshot(killed.dataSource)).toEqual(await snapshot(clean.dataSource));
  });
});
