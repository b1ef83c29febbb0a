import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bgNbdProbabilityAlive,
  fitBgNbd,
  gammaGammaExpectedSpend,
  predictiveClv,
  summarizeTransactions,
  toSummaryColumns,
  type Transaction,
} from "@valuetier/domain";
import { insertFixture, syntheticFixture, type FixtureOrder } from "../../__tests__/value-fixtures";
import { systemActor } from "../audit/audit.service";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database";
import { CustomerValueEntity } from "./customer-value.entity";
import type { FittedModelRecord } from "./fitted-model-record";
import { ScoringRunEntity } from "./scoring-run.entity";
import { ScoringRunBusyError, ScoringRunService } from "./scoring-run.service";
import { ValueQueryService } from "./value-query.service";
import { ValueSettingsService } from "./value-settings.service";

const options = { currency: "USD", defaultMarginRate: "0.3", chunkSize: 150 };
const cli = systemActor("test");

// Hand-made customers on top of a synthetic base (whose orders end before 2025): H2's order on
// 2025-01-10 is the last purchase day of the data, so T is measured to that day.
const hand = {
  customers: [
    { externalId: "H1", firstSeenAt: "2024-11-30T00:00:00Z", acquisitionCostMinor: 2500 },
    { externalId: "H2", firstSeenAt: "2025-01-10T00:00:00Z", acquisitionCostMinor: null },
    { externalId: "H3", firstSeenAt: "2024-06-01T00:00:00Z", acquisitionCostMinor: 700 },
    { externalId: "H4", firstSeenAt: "2024-06-01T00:00:00Z", acquisitionCostMinor: null },
  ],
  orders: [
    // H1: three purchase days (two orders on the first), a refund and an order in EUR that
    // do not count.
    {
      externalId: "H1-1",
      customer: "H1",
      placedAt: "2024-12-01T10:00:00Z",
      amountMinor: 4000,
      marginMinor: 1200,
    },
    {
      externalId: "H1-2",
      customer: "H1",
      placedAt: "2024-12-01T18:30:00Z",
      amountMinor: 1000,
      marginMinor: null,
    },
    {
      externalId: "H1-3",
      customer: "H1",
      placedAt: "2024-12-15T09:00:00Z",
      amountMinor: 3000,
      marginMinor: 900,
    },
    {
      externalId: "H1-4",
      customer: "H1",
      placedAt: "2024-12-29T23:59:59Z",
      amountMinor: 2000,
      marginMinor: null,
    },
    {
      externalId: "H1-5",
      customer: "H1",
      placedAt: "2025-01-02T08:00:00Z",
      amountMinor: 5000,
      marginMinor: null,
      status: "refunded",
    },
    {
      externalId: "H1-6",
      customer: "H1",
      placedAt: "2025-01-03T08:00:00Z",
      amountMinor: 9900,
      marginMinor: null,
      currency: "EUR",
    },
    {
      externalId: "H2-1",
      customer: "H2",
      placedAt: "2025-01-10T12:00:00Z",
      amountMinor: 1500,
      marginMinor: null,
    },
    {
      externalId: "H4-1",
      customer: "H4",
      placedAt: "2024-07-01T12:00:00Z",
      amountMinor: 1500,
      marginMinor: null,
      status: "refunded",
    },
  ] as FixtureOrder[],
};

describe("scoring run over MySQL", () => {
  let db: TestDatabase;
  let ids: Map<string, number>;
  const base = syntheticFixture(400, 3);

  beforeAll(async () => {
    db = await createTestDatabase("vt_score");
    ids = await insertFixture(
      db.dataSource,
      [...base.customers, ...hand.customers],
      [...base.orders, ...hand.orders],
    );
  });

  afterAll(async () => {
    await db?.drop();
  });

  const valueOf = async (runId: number, externalId: string) =>
    db.dataSource
      .getRepository(CustomerValueEntity)
      .findOneByOrFail({ runId, customerId: ids.get(externalId)! });

  it("scores every customer from SQL aggregates, with numbers that check by hand", async () => {
    const service = new ScoringRunService(db.dataSource, options);
    const progress: number[] = [];
    const run = await service.runNow(cli, { onProgress: (p) => void progress.push(p.progress) });
    expect(run.status).toBe("succeeded");
    expect(run.customersScored).toBe(404);
    expect(run.activeLock).toBeNull();
    expect(progress.length).toBeGreaterThan(5);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(await db.dataSource.getRepository(CustomerValueEntity).countBy({ runId: run.id })).toBe(
      404,
    );
    const model = JSON.parse(run.modelJson!) as FittedModelRecord;
    expect(model.observationEnd).toBe("2025-01-10");
    expect(model.warnings).toContain(
      "1 completed order(s) in currencies other than USD were left out",
    );

    // H1: purchase days 2024-12-01, 12-15, 12-29; x = 2, t_x = 28 days, T = 40 days; amount
    // 100.00 of which 50.00 on the first day, so m̄ = 25.00; margin 12 + 9 + 30 % of 30 = 30.00.
    const h1 = await valueOf(run.id, "H1");
    expect(h1).toMatchObject({
      orders: 4,
      frequency: 2,
      recencyDays: 28,
      ageDays: 40,
      meanRepeatValueMinor: 2500,
      marginMinor: 3000,
      historicalValueMinor: 500,
    });
    expect(h1.firstPurchaseAt!.toISOString()).toBe("2024-12-01T10:00:00.000Z");
    expect(h1.lastPurchaseAt!.toISOString()).toBe("2024-12-29T23:59:59.000Z");
    const history = { frequency: 2, recency: 4, T: 40 / 7 };
    const bgnbd = model.bgnbd!.params;
    const gammaGamma = model.gammaGamma!.params;
    const spend = gammaGammaExpectedSpend(gammaGamma, 2, 25);
    const expected = predictiveClv(bgnbd, spend, history, {
      timeUnit: "week",
      horizonMonths: 12,
      monthlyDiscountRate: 0.01,
      margin: 0.3,
    });
    expect(h1.clvMinor).toBe(expected.clv);
    expect(h1.clvMinor).toBeGreaterThan(0);
    // Probabilities and counts are stored to 15 significant digits (see toDoubleText).
    const stored = (x: number) => Number(x.toPrecision(15));
    expect(h1.pAlive).toBe(stored(bgNbdProbabilityAlive(bgnbd, history)));
    expect(h1.expectedPurchases).toBe(stored(expected.expectedPurchases));
    expect(h1.expectedAvgValueMinor).toBe(Math.round(spend * 100));

    // H2 bought once, on the last day: x = 0, T = 0; margin 30 % of 15.00.
    expect(await valueOf(run.id, "H2")).toMatchObject({
      frequency: 0,
      recencyDays: 0,
      ageDays: 0,
      historicalValueMinor: 450,
      pAlive: 1,
    });
    // H3 never bought, H4 only has a refund: −CAC to date and no forecast.
    for (const [id, historical] of [
      ["H3", -700],
      ["H4", 0],
    ] as const) {
      expect(await valueOf(run.id, id)).toMatchObject({
        orders: 0,
        historicalValueMinor: historical,
        clvMinor: null,
        pAlive: null,
        expectedPurchases: null,
        firstPurchaseAt: null,
      });
    }
  });

  it("fits the same model as the domain does from the raw transactions", async () => {
    const run = (await new ValueQueryService(db.dataSource).currentRun())!;
    const model = JSON.parse(run.modelJson!) as FittedModelRecord;
    const transactions: Transaction[] = [...base.orders, ...hand.orders]
      .filter((o) => (o.status ?? "completed") === "completed" && (o.currency ?? "USD") === "USD")
      .map((o) => ({
        customerId: o.customer,
        date: new Date(o.placedAt),
        amount: o.amountMinor / 100,
      }));
    const summaries = summarizeTransactions(transactions, {
      calibrationEnd: new Date("2025-01-10"),
      timeUnit: "week",
    });
    const reference = fitBgNbd(toSummaryColumns(summaries));
    expect(model.customersWithOrders).toBe(summaries.length);
    expect(model.bgnbd!.logLikelihood).toBeCloseTo(reference.logLikelihood, 6);
    for (const key of ["r", "alpha", "a", "b"] as const) {
      expect(model.bgnbd!.params[key]).toBeCloseTo(reference.params[key], 5);
    }
    // Holdout: the last 26 weeks of a two-year span; the tracking series ends at the total.
    const holdout = model.holdout!;
    expect(holdout.holdoutEnd).toBe("2025-01-10");
    expect(holdout.calibrationEnd).toBe("2024-07-12");
    expect(holdout.tracking).toHaveLength(26);
    expect(holdout.tracking.at(-1)!.actual).toBe(holdout.actual);
    expect(holdout.actual).toBeGreaterThan(0);
    expect(holdout.calibrationSeries.map((p) => p.purchases)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(holdout.calibrationSeries.reduce((n, p) => n + p.customers, 0)).toBe(holdout.customers);
  });

  it("keeps the previous snapshot when a run dies half way, and completes when run again", async () => {
    const queries = new ValueQueryService(db.dataSource);
    const previous = (await queries.currentRunId())!;
    const before = await valueOf(previous, "H1");
    // Change what a run would compute: the historical model values H1 at 5.00.
    await new ValueSettingsService(db.dataSource, "0.3").update({ model: "historical" }, cli);

    const service = new ScoringRunService(db.dataSource, options);
    const killed = service.runNow(cli, {
      onProgress: (p) => {
        if (p.phase === "scoring" && p.customersScored >= 150)
          throw new Error("killed by the test");
      },
    });
    await expect(killed).rejects.toThrow("killed by the test");
    const failed = await db.dataSource
      .getRepository(ScoringRunEntity)
      .findOneByOrFail({ status: "failed" });
    expect(failed.error).toBe("killed by the test");
    expect(failed.activeLock).toBeNull();
    // It had written rows, but the current snapshot is still the previous run's.
    expect(
      await db.dataSource.getRepository(CustomerValueEntity).countBy({ runId: failed.id }),
    ).toBe(150);
    expect(await queries.currentRunId()).toBe(previous);
    const [current] = await queries.currentValues([ids.get("H1")!]);
    expect(current).toMatchObject({ runId: previous, clvMinor: before.clvMinor });

    const rerun = await service.runNow(cli);
    expect(rerun.status).toBe("succeeded");
    expect(await queries.currentRunId()).toBe(rerun.id);
    const [after] = await queries.currentValues([ids.get("H1")!]);
    expect(after).toMatchObject({ runId: rerun.id, clvMinor: 500 });
    // The failed run's rows were pruned; both succeeded runs are kept.
    expect(
      await db.dataSource.getRepository(CustomerValueEntity).countBy({ runId: failed.id }),
    ).toBe(0);
    expect(
      await db.dataSource.getRepository(CustomerValueEntity).countBy({ runId: previous }),
    ).toBe(404);
  });

  it("stops at an abort signal without touching the snapshot", async () => {
    const queries = new ValueQueryService(db.dataSource);
    const current = await queries.currentRunId();
    const controller = new AbortController();
    const service = new ScoringRunService(db.dataSource, options);
    const run = service.runNow(cli, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "aggregating") controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/was stopped/);
    expect(await queries.currentRunId()).toBe(current);
  });

  it("runs one at a time, and takes over from a run whose process died", async () => {
    const service = new ScoringRunService(db.dataSource, options);
    // A run another process is executing right now (fresh heartbeat, live pid: ours).
    const { run: first, created } = await service.enqueue(cli);
    expect(created).toBe(true);
    const second = await service.enqueue(cli);
    expect(second).toMatchObject({ created: false, run: { id: first.id } });
    await expect(service.runNow(cli)).rejects.toBeInstanceOf(ScoringRunBusyError);

    // The process dies: on this host with a pid that no longer exists.
    await db.dataSource
      .getRepository(ScoringRunEntity)
      .update(
        { id: first.id },
        { status: "running", runner: `${(await import("node:os")).hostname()} 999999999` },
      );
    const next = await service.runNow(cli);
    expect(next.status).toBe("succeeded");
    const dead = await db.dataSource
      .getRepository(ScoringRunEntity)
      .findOneByOrFail({ id: first.id });
    expect(dead).toMatchObject({ status: "failed", activeLock: null });
    expect(dead.error).toMatch(/abandoned/);
  });

  it("recovers on start-up the runs of a stopped process, including one with a stale heartbeat elsewhere", async () => {
    const service = new ScoringRunService(db.dataSource, { ...options, staleAfterMs: 60_000 });
    const { run } = await service.enqueue(cli);
    await db.dataSource
      .getRepository(ScoringRunEntity)
      .update(
        { id: run.id },
        { runner: "another-host 123", heartbeatAt: new Date(Date.now() - 120_000) },
      );
    expect(await service.recoverAbandoned(true)).toEqual([run.id]);
    expect(
      await db.dataSource.getRepository(ScoringRunEntity).findOneByOrFail({ id: run.id }),
    ).toMatchObject({
      status: "failed",
    });
  });
});
