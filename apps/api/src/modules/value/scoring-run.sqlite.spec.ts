import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { insertFixture, syntheticFixture, type FixtureOrder } from "../../__tests__/value-fixtures";
import { loadConfig } from "../../config";
import { openDatabase } from "../../db/open-database";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database";
import { systemActor } from "../audit/audit.service";
import { CustomerValueEntity } from "./customer-value.entity";
import { CustomerColumns } from "./customer-columns";
import { readCompletedOrders } from "./order-aggregates";
import { ScoringRunService } from "./scoring-run.service";

// Two purchase days with several orders on each, and orders right at midnight, so that
// DATE() and the day cut-offs have something to get wrong.
const customers = [
  { externalId: "A", firstSeenAt: "2024-01-01T00:00:00Z", acquisitionCostMinor: 100 },
  { externalId: "B", firstSeenAt: "2024-01-01T00:00:00Z", acquisitionCostMinor: null },
];
const orders: FixtureOrder[] = [
  {
    externalId: "A1",
    customer: "A",
    placedAt: "2024-03-01T00:00:00.000Z",
    amountMinor: 1000,
    marginMinor: 300,
  },
  {
    externalId: "A2",
    customer: "A",
    placedAt: "2024-03-01T23:59:59.999Z",
    amountMinor: 500,
    marginMinor: null,
  },
  {
    externalId: "A3",
    customer: "A",
    placedAt: "2024-03-02T00:00:00.000Z",
    amountMinor: 700,
    marginMinor: 100,
  },
  {
    externalId: "A4",
    customer: "A",
    placedAt: "2024-03-02T12:00:00.000Z",
    amountMinor: 300,
    marginMinor: null,
  },
  {
    externalId: "A5",
    customer: "A",
    placedAt: "2024-03-09T12:00:00.000Z",
    amountMinor: 200,
    marginMinor: null,
    status: "refunded",
  },
  {
    externalId: "B1",
    customer: "B",
    placedAt: "2024-02-29T08:00:00.000Z",
    amountMinor: 999,
    marginMinor: null,
  },
];

const cuts = { calibrationCut: 19784, retentionPreviousStart: 19700, retentionLastStart: 19783 };

describe("the scoring run on the embedded SQLite database", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "vt-score-sqlite-"));
  let sqlite: DataSource;
  let mysql: TestDatabase;
  const base = syntheticFixture(150, 9);

  beforeAll(async () => {
    sqlite = await openDatabase(loadConfig({ DATA_DIR: dataDir }));
    mysql = await createTestDatabase("vt_score_sqlite");
    for (const dataSource of [sqlite, mysql.dataSource]) {
      await insertFixture(
        dataSource,
        [...customers, ...base.customers],
        [...orders, ...base.orders],
      );
    }
  });

  afterAll(async () => {
    if (sqlite?.isInitialized) await sqlite.destroy();
    await mysql?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Customers `from`..`to` added up as a run does: their columns and the holdout counts. */
  async function addedUp(dataSource: DataSource, from: number, to: number) {
    const columns = new CustomerColumns(0);
    for (let id = from; id <= to; id++) columns.push(id, null);
    const chunk = await readCompletedOrders(dataSource, "USD", from, to);
    columns.addOrders(chunk.orders, 0);
    const actualByDay = columns.applyCuts(cuts);
    const customer = (i: number) =>
      Object.fromEntries(
        Object.entries(columns).flatMap(([key, column]) =>
          ArrayBuffer.isView(column) ? [[key, (column as unknown as number[])[i]]] : [],
        ),
      );
    return { columns, customer, actualByDay, chunk };
  }

  it("adds up per customer the same as by hand, on UTC days", async () => {
    // 2024-03-01 is day 19783; the calibration cut 19784 (2024-03-02) splits A's two days.
    const { customer, actualByDay, chunk } = await addedUp(sqlite, 1, 2);
    // A's refunded order is not read; the rest come by customer and time.
    expect(chunk.orders.map((o) => [o.customerId, o.placedAtMs])).toEqual([
      [1, Date.parse("2024-03-01T00:00:00.000Z")],
      [1, Date.parse("2024-03-01T23:59:59.999Z")],
      [1, Date.parse("2024-03-02T00:00:00.000Z")],
      [1, Date.parse("2024-03-02T12:00:00.000Z")],
      [2, Date.parse("2024-02-29T08:00:00.000Z")],
    ]);
    // The retention windows: 19700..19782 (A did not buy; B did, on 2024-02-29) and 19783 on.
    expect(customer(0)).toMatchObject({
      id: 1,
      orders: 4,
      purchaseDays: 2,
      firstDay: 19783,
      lastDay: 19784,
      firstAtMs: Date.parse("2024-03-01T00:00:00.000Z"),
      lastAtMs: Date.parse("2024-03-02T12:00:00.000Z"),
      amount: 2500,
      firstDayAmount: 1500,
      marginKnown: 400,
      amountWithoutMargin: 800,
      calibrationDays: 1,
      calibrationLastDay: 19783,
      calibrationAmount: 1500,
      activity: 2,
    });
    expect(customer(1)).toMatchObject({
      purchaseDays: 1,
      firstDayAmount: 999,
      calibrationDays: 1,
      calibrationLastDay: 19782,
      activity: 1,
    });
    // A's orders on 2024-03-02 (two, one purchase day) are on or after the cut; B's are not.
    expect([...actualByDay]).toEqual([[19784, 1]]);
  });

  it("refuses orders out of customer or time order, and sums past 2^53", () => {
    const columns = new CustomerColumns(0);
    columns.push(5, null);
    columns.push(7, null);
    const order = (customerId: number, placedAtMs: number, amountMinor = 1) => ({
      customerId,
      placedAtMs,
      amountMinor,
      marginMinor: null,
    });
    expect(() => columns.addOrders([order(6, 0)], 0)).toThrow(/customer 6 is not in customer/);
    expect(() => columns.addOrders([order(7, 0), order(5, 0)], 0)).toThrow(/customer 5/);
    expect(() => columns.addOrders([order(5, 10), order(5, 9)], 0)).toThrow(/not in time order/);
    const big = new CustomerColumns(0);
    big.push(1, null);
    expect(() => big.addOrders([order(1, 0, Number.MAX_SAFE_INTEGER), order(1, 1, 1)], 0)).toThrow(
      RangeError,
    );
  });

  it("reads and adds up exactly what MySQL does for every chunk", async () => {
    const last = 2 + base.customers.length;
    let holdoutDays = 0;
    for (let from = 1; from <= last; from += 50) {
      const to = Math.min(last, from + 49);
      const onSqlite = await addedUp(sqlite, from, to);
      const onMysql = await addedUp(mysql.dataSource, from, to);
      expect(onSqlite.chunk).toEqual(onMysql.chunk);
      for (let i = 0; i <= to - from; i++)
        expect(onSqlite.customer(i)).toEqual(onMysql.customer(i));
      expect(onSqlite.actualByDay).toEqual(onMysql.actualByDay);
      holdoutDays += onSqlite.actualByDay.size;
    }
    expect(holdoutDays).toBeGreaterThan(0);
  });

  it("completes a scoring run with the same values as on MySQL", async () => {
    const options = { currency: "USD", defaultMarginRate: "0.3", chunkSize: 40 };
    const actor = systemActor("test");
    const onSqlite = await new ScoringRunService(sqlite, options).runNow(actor);
    const onMysql = await new ScoringRunService(mysql.dataSource, options).runNow(actor);
    expect(onSqlite.status).toBe("succeeded");
    const rows = async (dataSource: DataSource, runId: number) =>
      (
        await dataSource
          .getRepository(CustomerValueEntity)
          .find({ where: { runId }, order: { customerId: "ASC" } })
      ).map(({ runId: _run, tierSince, ...row }) => ({
        ...row,
        // When a customer entered their tier is the moment of the run, which differs.
        tierSince: tierSince === null ? null : "set",
      }));
    const fromSqlite = await rows(sqlite, onSqlite.id);
    expect(fromSqlite).toHaveLength(152);
    expect(fromSqlite).toEqual(await rows(mysql.dataSource, onMysql.id));
  });
});
