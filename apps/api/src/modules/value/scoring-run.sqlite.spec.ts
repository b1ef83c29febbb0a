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
import { aggregateOrders, holdoutPurchaseDays, orderBounds } from "./order-aggregates";
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

describe("the scoring SQL on the embedded SQLite database", () => {
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

  it("aggregates per customer the same as by hand, with DATE() on UTC days", async () => {
    // 2024-03-01 is day 19783; the calibration cut 19784 (2024-03-02) splits A's two days.
    const [a] = await aggregateOrders(sqlite, "USD", 1, 1, cuts);
    // The retention windows: 19700..19782 (A did not buy; B did, on 2024-02-29) and 19783 on.
    expect(a).toEqual({
      customerId: 1,
      orders: 4,
      purchaseDays: 2,
      firstAt: new Date("2024-03-01T00:00:00.000Z"),
      lastAt: new Date("2024-03-02T12:00:00.000Z"),
      amountMinor: 2500,
      firstDayAmountMinor: 1500,
      marginKnownMinor: 400,
      amountWithoutMarginMinor: 800,
      calibrationDays: 1,
      calibrationLastAt: new Date("2024-03-01T23:59:59.999Z"),
      calibrationAmountMinor: 1500,
      activeBefore: false,
      activeLast: true,
    });
    const [b] = await aggregateOrders(sqlite, "USD", 2, 2, cuts);
    expect(b).toMatchObject({
      purchaseDays: 1,
      firstDayAmountMinor: 999,
      activeBefore: true,
      activeLast: false,
    });
    // A's orders on 2024-03-02 (two, one purchase day) are on or after the cut; B's are not.
    expect(await holdoutPurchaseDays(sqlite, "USD", 1, 2, 19784)).toEqual([
      { customerId: 1, day: 19784 },
    ]);
  });

  it("returns exactly what MySQL returns for every chunk", async () => {
    const last = 2 + base.customers.length;
    for (let from = 1; from <= last; from += 50) {
      const to = Math.min(last, from + 49);
      expect(await aggregateOrders(sqlite, "USD", from, to, cuts)).toEqual(
        await aggregateOrders(mysql.dataSource, "USD", from, to, cuts),
      );
      const byCustomerAndDay = (rows: { customerId: number; day: number }[]) =>
        rows.sort((x, y) => x.customerId - y.customerId || x.day - y.day);
      const days = byCustomerAndDay(await holdoutPurchaseDays(sqlite, "USD", from, to, 19800));
      expect(days.length).toBeGreaterThan(0);
      expect(days).toEqual(
        byCustomerAndDay(await holdoutPurchaseDays(mysql.dataSource, "USD", from, to, 19800)),
      );
    }
    expect(await orderBounds(sqlite, "USD")).toEqual(await orderBounds(mysql.dataSource, "USD"));
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
