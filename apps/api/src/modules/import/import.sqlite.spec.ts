import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CUSTOMERS_CSV_HEADER,
  customerCsvLine,
  generateSyntheticData,
  ORDERS_CSV_HEADER,
  orderCsvLine,
  parseMoney,
} from "@valuetier/domain";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource } from "../../db/data-source";
import { CustomerEntity } from "../customers/customer.entity";
import { systemActor } from "../audit/audit.service";
import { ImportService } from "./import.service";

const actor = systemActor("test");
const cents = (text: string) => {
  const parsed = parseMoney(text, "USD");
  if (!parsed.ok) throw new Error(text);
  return parsed.minor;
};

describe("ImportService on the embedded SQLite database", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-import-sqlite-"));
  const customersFile = path.join(dir, "customers.csv");
  const ordersFile = path.join(dir, "orders.csv");
  const expected = new Map<
    string,
    { count: number; spent: number; first: string | null; last: string | null }
  >();
  let dataSource: DataSource;
  let service: ImportService;
  let orderCount = 0;

  beforeAll(async () => {
    let customers = CUSTOMERS_CSV_HEADER;
    let orders = ORDERS_CSV_HEADER;
    for (const { customer, orders: own } of generateSyntheticData({ customers: 500, seed: 9 })) {
      customers += customerCsvLine(customer);
      for (const order of own) orders += orderCsvLine(order);
      orderCount += own.length;
      // The aggregates cover completed orders only (refunds are no purchase).
      const completed = own.filter((o) => o.status === "completed");
      expected.set(customer.external_id, {
        count: completed.length,
        spent: completed.reduce((s, o) => s + cents(o.amount), 0),
        first: completed[0]?.placed_at ?? null,
        last: completed.at(-1)?.placed_at ?? null,
      });
    }
    orders +=
      "BAD1,C0000001,2024-02-30,1.00,,USD,completed\nBAD2,NOBODY,2024-01-01,1.00,,USD,completed\n";
    writeFileSync(customersFile, customers);
    writeFileSync(ordersFile, orders);
    dataSource = createDataSource({ sqlitePath: path.join(dir, "valuetier.sqlite") });
    await dataSource.initialize();
    service = new ImportService(dataSource, {
      currency: "USD",
      now: () => new Date("2025-01-01T00:00:00Z"),
      // ~5,000 orders in one batch: 7 values a row would exceed SQLite's 32,766 bound
      // variables in one INSERT if the dialect did not split it.
      orderBatchSize: 6000,
    });
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("imports, reports bad rows, keeps aggregates right and is idempotent", async () => {
    expect(orderCount).toBeGreaterThan(4700);
    const first = await service.importCsv({ customersFile, ordersFile, actor });
    expect(first.customers).toEqual({
      read: 500,
      imported: 500,
      created: 500,
      updated: 0,
      unchanged: 0,
      rejected: 0,
    });
    expect(first.orders).toEqual({
      read: orderCount + 2,
      imported: orderCount,
      created: orderCount,
      updated: 0,
      unchanged: 0,
      rejected: 2,
    });
    expect(first.errors.map((e) => [e.line, e.errors[0]!.code])).toEqual([
      [orderCount + 2, "INVALID_DATE"],
      [orderCount + 3, "UNKNOWN_CUSTOMER"],
    ]);

    const stored = await dataSource.getRepository(CustomerEntity).find();
    expect(stored).toHaveLength(500);
    for (const customer of stored) {
      const want = expected.get(customer.externalId)!;
      expect(customer.orderCount).toBe(want.count);
      expect(customer.totalSpentMinor).toBe(want.spent);
      expect(customer.firstOrderAt?.toISOString() ?? null).toBe(
        want.first?.replace("Z", ".000Z") ?? null,
      );
      expect(customer.lastOrderAt?.toISOString() ?? null).toBe(
        want.last?.replace("Z", ".000Z") ?? null,
      );
    }

    const again = await service.importCsv({ customersFile, ordersFile, actor });
    expect(again.customers).toEqual({
      read: 500,
      imported: 0,
      created: 0,
      updated: 0,
      unchanged: 500,
      rejected: 0,
    });
    expect(again.orders).toEqual({
      read: orderCount + 2,
      imported: 0,
      created: 0,
      updated: 0,
      unchanged: orderCount,
      rejected: 2,
    });
  });

  it("upserts through the row methods and guards unique emails", async () => {
    const [someone] = await dataSource
      .getRepository(CustomerEntity)
      .find({ take: 1, order: { id: "ASC" } });
    const result = await service.upsertCustomers(
      [
        { external_id: "S-1", email: "s1@example.com", created_at: "2024-01-01" },
        { external_id: "S-2", email: someone!.email!, created_at: "2024-01-01" },
      ],
      actor,
    );
    expect(result.results.map((r) => r.status)).toEqual(["created", "rejected"]);
    expect(result.results[1]!.errors[0]!.code).toBe("EMAIL_TAKEN");
    const changed = await service.upsertCustomers(
      [{ external_id: "S-1", email: "s1@example.com", name: "Renamed", created_at: "2024-01-01" }],
      actor,
    );
    expect(changed.results[0]).toMatchObject({ status: "updated", id: result.results[0]!.id });
    const row = await dataSource
      .getRepository(CustomerEntity)
      .findOneByOrFail({ externalId: "S-1" });
    expect(row.name).toBe("Renamed");
    expect(row.firstSeenAt.toISOString()).toBe("2024-01-01T00:00:00.000Z");
  });
});
