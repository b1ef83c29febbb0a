import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertFixture, type FixtureOrder } from "../../__tests__/value-fixtures";
import { loadConfig } from "../../config";
import { openDatabase } from "../../db/open-database";
import { startTestApi, type TestApi } from "../../testing/test-server";
import { CustomerValueEntity } from "../value/customer-value.entity";
import { ScoringRunEntity } from "../value/scoring-run.entity";
import { DashboardSeriesService } from "./dashboard-series.service";
import { resolveMonthRange } from "./month-range";

// Four buyers around a January–April 2026 range, with orders on the month edges (UTC), a
// refunded order and a customer whose first order is before the range; and 100 customers
// without orders who only have a CLV.
const customers = [
  ...["A", "B", "C", "D"].map((externalId) => ({
    externalId,
    firstSeenAt: "2025-01-01T00:00:00Z",
    acquisitionCostMinor: null,
  })),
  ...Array.from({ length: 100 }, (_, i) => ({
    externalId: `E${i}`,
    firstSeenAt: "2025-01-01T00:00:00Z",
    acquisitionCostMinor: null,
  })),
];
const order = (
  externalId: string,
  customer: string,
  placedAt: string,
  amountMinor: number,
  status?: "refunded",
): FixtureOrder => ({ externalId, customer, placedAt, amountMinor, marginMinor: null, status });
const orders: FixtureOrder[] = [
  order("A1", "A", "2026-01-15T10:00:00.000Z", 10000),
  order("A2", "A", "2026-02-10T10:00:00.000Z", 5000),
  order("A3", "A", "2026-04-01T00:00:00.000Z", 2500),
  order("B1", "B", "2026-01-31T23:59:59.999Z", 3000),
  order("B2", "B", "2026-03-05T10:00:00.000Z", 2000, "refunded"),
  order("C1", "C", "2026-02-01T00:00:00.000Z", 4000),
  order("C2", "C", "2026-02-20T10:00:00.000Z", 1000),
  order("C3", "C", "2026-03-15T10:00:00.000Z", 6000),
  order("D1", "D", "2025-12-20T10:00:00.000Z", 7000),
  order("D2", "D", "2026-02-14T10:00:00.000Z", 1500),
  order("Z1", "A", "2026-05-01T00:00:00.000Z", 99900),
];

// CLV of the current run: one outlier (A), one negative (B), none for C, 0 for D, and
// 0.00, 1.00 … 99.00 for E0…E99.
const clvOf = (externalId: string): number | null => {
  if (externalId === "A") return 10_000_000;
  if (externalId === "B") return -500;
  if (externalId === "C") return null;
  if (externalId === "D") return 0;
  return Number(externalId.slice(1)) * 100;
};

async function load(dataSource: DataSource): Promise<Map<string, number>> {
  const ids = await insertFixture(dataSource, customers, orders);
  // The aggregates an import keeps on customers: first_order_at of completed orders.
  await dataSource.query(
    `UPDATE customers SET first_order_at = (SELECT MIN(o.placed_at) FROM orders o
      WHERE o.customer_id = customers.id AND o.status = 'completed')`,
  );
  return ids;
}

async function addSucceededRun(dataSource: DataSource, ids: Map<string, number>) {
  const now = new Date("2026-05-02T00:00:00Z");
  const run = await dataSource.getRepository(ScoringRunEntity).save({
    status: "succeeded",
    heartbeatAt: now,
    createdAt: now,
    startedAt: now,
    finishedAt: now,
    settingsJson: "{}",
    triggeredBy: "test",
  });
  await dataSource.getRepository(CustomerValueEntity).save(
    [...ids].map(([externalId, customerId]) => ({
      runId: run.id,
      customerId,
      clvMinor: clvOf(externalId),
      historicalValueMinor: 0,
      marginMinor: 0,
      orders: 0,
      frequency: 0,
    })),
    { chunk: 50 },
  );
}

const RANGE = { from: "2026-01", to: "2026-04" };

const EXPECTED_MONTHS = [
  { month: "2026-01", revenueMinor: 13000, orders: 2, newCustomers: 2, returningCustomers: 0 },
  { month: "2026-02", revenueMinor: 11500, orders: 4, newCustomers: 1, returningCustomers: 2 },
  { month: "2026-03", revenueMinor: 6000, orders: 1, newCustomers: 0, returningCustomers: 1 },
  { month: "2026-04", revenueMinor: 2500, orders: 1, newCustomers: 0, returningCustomers: 1 },
];
const EXPECTED_COHORTS = [
  // A and B; A buys again in February and April, B's March order was refunded.
  { month: "2026-01", customers: 2, active: [2, 1, 0, 1] },
  { month: "2026-02", customers: 1, active: [1, 1, 0] },
];
// lo −5.00, 99th percentile 98.00 → width 10.00 from −10.00; A's 100,000.00 in the open bucket.
const EXPECTED_HISTOGRAM = [
  { fromMinor: -1000, toMinor: 0, customers: 1 },
  { fromMinor: 0, toMinor: 1000, customers: 11 },
  ...Array.from({ length: 9 }, (_, i) => ({
    fromMinor: (i + 1) * 1000,
    toMinor: (i + 2) * 1000,
    customers: 10,
  })),
  { fromMinor: 10000, toMinor: null, customers: 1 },
];

describe("dashboardSeries", () => {
  let api: TestApi;
  let token: string;
  const dataDir = mkdtempSync(path.join(tmpdir(), "vt-dashboard-sqlite-"));
  let sqlite: DataSource;
  const sources: [string, () => DataSource][] = [
    ["MySQL", () => api.db.dataSource],
    ["SQLite", () => sqlite],
  ];

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.adminToken();
    sqlite = await openDatabase(loadConfig({ DATA_DIR: dataDir }));
    for (const [, dataSource] of sources) await load(dataSource());
  });
  afterAll(async () => {
    await api?.close();
    if (sqlite?.isInitialized) await sqlite.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(sources)(
    "counts months and cohorts exactly on %s, with no histogram before a run",
    async (_, dataSource) => {
      const f = await new DashboardSeriesService(dataSource()).series(RANGE);
      expect(f.months).toEqual(EXPECTED_MONTHS);
      expect(f.cohorts).toEqual(EXPECTED_COHORTS);
      expect(f.clvHistogram).toBeNull();
    },
  );

  it.each(sources)("buckets the current run's CLV on %s", async (_, dataSource) => {
    const ids = new Map(
      (
        (await dataSource().query("SELECT id, external_id FROM customers")) as {
          id: number | string;
          external_id: string;
        }[]
      ).map((r) => [r.external_id, Number(r.id)]),
    );
    await addSucceededRun(dataSource(), ids);
    const f = await new DashboardSeriesService(dataSource()).series(RANGE);
    expect(f.clvHistogram).toEqual(EXPECTED_HISTOGRAM);
    expect(f.clvHistogram!.reduce((sum, b) => sum + b.customers, 0)).toBe(103);
  });

  it("answers over GraphQL with money as decimal strings and retention as shares", async () => {
    const res = await api.gql<{
      dashboardSeries: {
        from: string;
        to: string;
        months: { month: string; revenue: { amount: string; currency: string }; orders: number }[];
        cohorts: { month: string; customers: number; retention: number[] }[];
        clvHistogram: {
          from: { amount: string };
          to: { amount: string } | null;
          customers: number;
        }[];
      };
    }>(
      `{ dashboardSeries(from: "2026-01", to: "2026-04") {
          from to
          months { month revenue { amount currency } orders }
          cohorts { month customers retention }
          clvHistogram { from { amount } to { amount } customers }
        } }`,
      {},
      token,
    );
    expect(res.errors).toBeUndefined();
    const s = res.data!.dashboardSeries;
    expect([s.from, s.to]).toEqual(["2026-01", "2026-04"]);
    expect(s.months.map((m) => [m.month, m.revenue.amount, m.revenue.currency, m.orders])).toEqual([
      ["2026-01", "130.00", "USD", 2],
      ["2026-02", "115.00", "USD", 4],
      ["2026-03", "60.00", "USD", 1],
      ["2026-04", "25.00", "USD", 1],
    ]);
    expect(s.cohorts).toEqual([
      { month: "2026-01", customers: 2, retention: [1, 0.5, 0, 0.5] },
      { month: "2026-02", customers: 1, retention: [1, 1, 0] },
    ]);
    expect(s.clvHistogram[0]).toEqual({
      from: { amount: "-10.00" },
      to: { amount: "0.00" },
      customers: 1,
    });
    expect(s.clvHistogram.at(-1)).toEqual({ from: { amount: "100.00" }, to: null, customers: 1 });
  });

  it("refuses a malformed or reversed range, saying which argument is wrong", async () => {
    const bad = await api.gql(`{ dashboardSeries(from: "2026-13") { from } }`, {}, token);
    expect(bad.errors?.[0]?.message).toBe(
      'dashboardSeries: from must be a month written YYYY-MM, e.g. 2026-01 (got "2026-13")',
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "from" });
    const reversed = await api.gql(
      `{ dashboardSeries(from: "2026-05", to: "2026-04") { from } }`,
      {},
      token,
    );
    expect(reversed.errors?.[0]?.message).toBe(
      "dashboardSeries: from (2026-05) is after to (2026-04)",
    );
  });
});

describe("resolveMonthRange", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  it("defaults to the last 12 months up to the current one", () => {
    expect(resolveMonthRange(null, null, now)).toEqual({
      ok: true,
      range: { from: "2025-04", to: "2026-03" },
    });
    expect(resolveMonthRange(null, "2025-01", now)).toEqual({
      ok: true,
      range: { from: "2024-02", to: "2025-01" },
    });
  });
  it("allows one month and at most 120", () => {
    expect(resolveMonthRange("2026-01", "2026-01", now).ok).toBe(true);
    expect(resolveMonthRange("2016-01", "2025-12", now).ok).toBe(true);
    expect(resolveMonthRange("2015-12", "2025-12", now)).toEqual({
      ok: false,
      field: "from",
      message: "dashboardSeries: at most 120 months at a time (2015-12 to 2025-12 is longer)",
    });
  });
  it("refuses months not written YYYY-MM", () => {
    for (const bad of ["2026-1", "2026-00", "26-01", "2026-01-01", ""]) {
      expect(resolveMonthRange(bad, null, now).ok).toBe(false);
    }
  });
});
