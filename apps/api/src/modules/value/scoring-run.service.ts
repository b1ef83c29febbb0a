import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { QueryFailedError, type DataSource } from "typeorm";
import {
  chooseHoldoutWindow,
  ClvError,
  currencyExponent,
  fitBgNbd,
  fitGammaGamma,
  holdoutDiagnostics,
  isQualifyingPolicy,
  monthlyRetention,
  retentionWindows,
  scoreCustomer,
  summaryFromAggregate,
  weightSummaries,
  type BgNbdFit,
  type CustomerScore,
  type FittedValueModels,
  type ScoringContext,
  type SummaryColumns,
  type ValueSettings,
} from "@valuetier/domain";
import { driverOf } from "../../db/data-source";
import { toSqlDateTime } from "../../db/sql-values";
import { runInTransaction } from "../../db/transaction";
import { carryEarnUpgrades } from "../tiers/tier-qualification";
import { emitTierChanges } from "../webhooks/emit-event";
import { recordAudit, type Actor } from "../audit/audit.service";
import { CustomerColumns } from "./customer-columns";
import {
  finiteOrNull,
  type BgNbdRecord,
  type FittedModelRecord,
  type HoldoutRecord,
} from "./fitted-model-record";
import { readCompletedOrders } from "./order-aggregates";
import { ScoringRunEntity, type ScoringRunStatus } from "./scoring-run.entity";
import { ValueSettingsService } from "./value-settings.service";
import {
  readSegmentationInputs,
  SEGMENT_COLUMNS,
  segmentCustomers,
  segmentValues,
} from "./segment-customers";

/** Where a run is, reported after every chunk. */
export interface ScoringProgress {
  runId: number;
  phase: "aggregating" | "fitting" | "scoring";
  /** 0 to 1. */
  progress: number;
  customersScored: number;
  customersTotal: number;
}

export interface ScoringRunOptions {
  /** Stops the run before its next chunk; it is then marked failed and changes nothing visible. */
  signal?: AbortSignal;
  /**
   * Called after every chunk (and awaited): the CLI prints progress with it, and tests throw
   * from it to kill a run half way.
   */
  onProgress?: (progress: ScoringProgress) => void | Promise<void>;
  /** Delete the customer values of earlier failed runs first (default true). */
  pruneFailedRuns?: boolean;
}

export interface ScoringServiceOptions {
  /** Store currency: only orders in it are valued; CLV is reported in it. */
  currency: string;
  /** The installation's default margin rate (DEFAULT_MARGIN_RATE), the settings' default. */
  defaultMarginRate: string;
  /** Customers per aggregate query and per write batch. Default 5,000. */
  chunkSize?: number;
  /** A run whose heartbeat is older than this is abandoned. Default 5 minutes. */
  staleAfterMs?: number;
  /**
   * One database statement at a time (default false: the foreground run keeps two chunks of
   * aggregate queries in flight, and writes one chunk while scoring the next). A background run
   * beside a serving API sets it, so that the run never takes more than one of the database's
   * cores from the API's reads; it takes longer.
   */
  oneStatementAtATime?: boolean;
  /** When the run happens, for tier grace periods (tests pass a controlled clock). */
  clock?: () => Date;
  /**
   * After each chunk's database work, wait this many times as long as it took (default 0). A
   * background run sets it so that the database spends at most part of one core on the run
   * and the API's reads find it free; the run takes that much longer.
   */
  pace?: number;
}

/** Thrown when a run cannot start because another one is under way. */
export class ScoringRunBusyError extends Error {
  override readonly name = "ScoringRunBusyError";
  constructor(readonly activeRun: ScoringRunEntity) {
    super(
      `scoring run ${activeRun.id} is already ${activeRun.status} (started by ${activeRun.triggeredBy}); wait for it to finish`,
    );
  }
}

/** Thrown inside a run that was stopped (signal) or taken over (marked failed elsewhere). */
export class ScoringRunStoppedError extends Error {
  override readonly name = "ScoringRunStoppedError";
}

/** "host pid" of this process, stored on the runs it executes. */
export const THIS_RUNNER = `${hostname()} ${process.pid}`;

const INSERT_COLUMNS = [
  "run_id",
  "customer_id",
  "clv_minor",
  "historical_value_minor",
  "p_alive",
  "expected_purchases",
  "expected_avg_value_minor",
  "margin_minor",
  "orders",
  "frequency",
  "recency_days",
  "age_days",
  "mean_repeat_value_minor",
  "first_purchase_at",
  "last_purchase_at",
  ...SEGMENT_COLUMNS,
];

const isoDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/**
 * The scoring run (issue 3): aggregates the orders per customer in SQL, in keyset-paged chunks
 * of customers; fits BG/NBD and Gamma-Gamma on the whole base (plus a calibration fit for the
 * holdout check); scores every customer with the domain's scoreCustomer; writes one
 * customer_values row per customer tagged with the run id, in multi-row INSERTs.
 *
 * Snapshot rule: readers use the succeeded run with the highest id. The run flips to succeeded
 * in one UPDATE after its last row is written, so readers see the previous values until then,
 * and a run that fails or dies (its rows are never read) leaves the previous snapshot current.
 * At most one run is queued or running at a time, across processes: `active_lock` = 1 under a
 * unique index. A run whose process died is recognised (same host and dead pid, or a heartbeat
 * older than `staleAfterMs`), marked failed, and the next run proceeds.
 */
export class ScoringRunService {
  private readonly chunkSize: number;
  private readonly staleAfterMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: ScoringServiceOptions,
  ) {
    this.chunkSize = options.chunkSize ?? 5000;
    this.staleAfterMs = options.staleAfterMs ?? 5 * 60_000;
  }

  private get runs() {
    return this.dataSource.getRepository(ScoringRunEntity);
  }

  /**
   * Creates a queued run with a snapshot of the current settings and audits it, unless a run is
   * already under way: then that run is returned with `created: false`. An abandoned run in
   * the way is marked failed first.
   */
  async enqueue(
    actor: Actor,
    options: {
      /** The job executing the run (stored on it). */
      jobId?: number;
      /**
       * The caller holds the scoring job lock, so a run still marked under way by another job
       * belongs to a process that stopped: it is marked failed and this run starts. (A run
       * without a job, from a process before the job runner, is judged by its own heartbeat.)
       */
      takeOver?: boolean;
    } = {},
  ): Promise<{ run: ScoringRunEntity; created: boolean }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const run = await this.insertQueued(actor, options.jobId ?? null);
        return { run, created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const active = await this.runs.findOneBy({ activeLock: 1 });
      if (!active) continue; // it finished in between: try again
      if ((options.takeOver && active.jobId !== null) || this.isAbandoned(active, false)) {
        await this.markFailed(active.id, "abandoned: the process running it stopped");
        continue;
      }
      return { run: active, created: false };
    }
    throw new Error("could not start a scoring run: the run lock stayed taken");
  }

  /** Marks failed the runs of a job that is gone (the job runner's recovery); their ids. */
  async failRunsOfJob(jobId: number, message: string): Promise<number[]> {
    const runs = await this.runs.find({
      where: [
        { jobId, status: "queued" },
        { jobId, status: "running" },
      ],
    });
    const failed: number[] = [];
    for (const run of runs) if (await this.markFailed(run.id, message)) failed.push(run.id);
    return failed;
  }

  /** Enqueues and executes a run in the foreground (the CLI). */
  async runNow(actor: Actor, options: ScoringRunOptions = {}): Promise<ScoringRunEntity> {
    const { run, created } = await this.enqueue(actor);
    if (!created) throw new ScoringRunBusyError(run);
    return this.execute(run.id, options);
  }

  /**
   * Executes a queued run to the end. On any error the run is marked failed (its rows stay
   * invisible) and the error is rethrown.
   */
  async execute(runId: number, options: ScoringRunOptions = {}): Promise<ScoringRunEntity> {
    try {
      await this.executeSteps(runId, options);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.markFailed(runId, message).catch(() => undefined);
      throw error;
    }
    return this.runs.findOneByOrFail({ id: runId });
  }

  /**
   * Marks failed the runs left queued or running by a process that is gone: on this host with a
   * pid that no longer exists (or this process's own pid, when `startup`: an earlier process
   * that had it), or anywhere with a heartbeat older than the stale limit. Returns their ids.
   */
  async recoverAbandoned(startup: boolean): Promise<number[]> {
    const active = await this.runs.find({ where: [{ status: "queued" }, { status: "running" }] });
    const recovered: number[] = [];
    for (const run of active) {
      if (!this.isAbandoned(run, startup)) continue;
      if (await this.markFailed(run.id, "abandoned: the process running it stopped")) {
        recovered.push(run.id);
      }
    }
    return recovered;
  }

  private isAbandoned(run: ScoringRunEntity, startup: boolean): boolean {
    if (Date.now() - run.heartbeatAt.getTime() > this.staleAfterMs) return true;
    const [host, pidText] = run.runner.split(" ");
    const pid = Number(pidText);
    if (host !== hostname() || !Number.isSafeInteger(pid) || pid <= 0) return false;
    if (pid === process.pid) return startup;
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "ESRCH";
    }
  }

  private async insertQueued(actor: Actor, jobId: number | null): Promise<ScoringRunEntity> {
    return this.dataSource.transaction(async (manager) => {
      const { settings } = await new ValueSettingsService(
        this.dataSource,
        this.options.defaultMarginRate,
      ).get(manager);
      const now = new Date();
      const run = manager.create(ScoringRunEntity, {
        status: "queued",
        activeLock: 1,
        progress: 0,
        phase: "queued",
        customersTotal: null,
        customersScored: 0,
        runner: THIS_RUNNER,
        heartbeatAt: now,
        createdAt: now,
        startedAt: null,
        finishedAt: null,
        error: null,
        settingsJson: JSON.stringify(settings),
        modelJson: null,
        triggeredBy: actor.label.slice(0, 254),
        triggeredByUserId: actor.type === "user" ? actor.id : null,
        jobId,
      });
      await manager.insert(ScoringRunEntity, run);
      await recordAudit(manager, actor, {
        action: "scoring.run.start",
        entityType: "scoring_run",
        entityId: run.id,
        after: { settings },
      });
      return run;
    });
  }

  /** Sets a run's status fields if it is still in `from`; false when it was not. */
  private async transition(
    runId: number,
    from: ScoringRunStatus[],
    set: Partial<ScoringRunEntity>,
  ): Promise<boolean> {
    const result = await this.runs
      .createQueryBuilder()
      .update(ScoringRunEntity)
      .set(set)
      .where("id = :id AND status IN (:...from)", { id: runId, from })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private markFailed(runId: number, message: string): Promise<boolean> {
    const now = new Date();
    return this.transition(runId, ["queued", "running"], {
      status: "failed",
      activeLock: null,
      error: message.slice(0, 4000),
      finishedAt: now,
      heartbeatAt: now,
    });
  }

  private async executeSteps(runId: number, options: ScoringRunOptions): Promise<void> {
    const startedAt = new Date();
    const claimed = await this.transition(runId, ["queued"], {
      status: "running",
      phase: "aggregating",
      startedAt,
      heartbeatAt: startedAt,
      runner: THIS_RUNNER,
    });
    if (!claimed) throw new ScoringRunStoppedError(`scoring run ${runId} is not queued`);
    const run = await this.runs.findOneByOrFail({ id: runId });
    const settings = JSON.parse(run.settingsJson) as ValueSettings;
    const currency = this.options.currency;
    const decimals = currencyExponent(currency);
    const warnings: string[] = [];

    const report = async (
      phase: ScoringProgress["phase"],
      progress: number,
      customersScored: number,
      customersTotal: number,
    ) => {
      if (options.signal?.aborted) {
        throw new ScoringRunStoppedError(`scoring run ${runId} was stopped`);
      }
      const alive = await this.transition(runId, ["running"], {
        phase,
        progress,
        customersScored,
        customersTotal,
        heartbeatAt: new Date(),
      });
      if (!alive) {
        throw new ScoringRunStoppedError(
          `scoring run ${runId} was marked failed by another process`,
        );
      }
      await options.onProgress?.({ runId, phase, progress, customersScored, customersTotal });
    };

    if (options.pruneFailedRuns ?? true) await this.pruneFailedRuns(runId);

    // 1. Add up every customer's completed orders, chunk by chunk; then place the holdout and
    //    retention windows from the span of all orders.
    const t0 = Date.now();
    const total = Number((await this.dataSource.query("SELECT COUNT(*) AS n FROM customers"))[0].n);
    const columns = new CustomerColumns(total);
    let otherCurrencyOrders = 0;
    type Customer = { id: number | string; cac: number | string | null };
    // In the foreground, the next chunk's orders are read while this one's are added up.
    const startChunk = (customers: Customer[]) => {
      const fromId = Number(customers[0]!.id);
      const toId = Number(customers[customers.length - 1]!.id);
      const orders = readCompletedOrders(this.dataSource, currency, fromId, toId);
      // A chunk may be left behind when the run stops: its failure is not news.
      orders.catch(() => undefined);
      return { customers, toId, orders };
    };
    const consume = async (chunk: ReturnType<typeof startChunk>) => {
      const { orders, otherCurrencyOrders: other } = await chunk.orders;
      otherCurrencyOrders += other;
      const first = columns.length;
      for (const customer of chunk.customers) {
        columns.push(Number(customer.id), customer.cac === null ? null : Number(customer.cac));
      }
      columns.addOrders(orders, first);
      const seen = Math.max(total, columns.length);
      await report("aggregating", 0.45 * (columns.length / seen), 0, seen);
    };
    let pending: ReturnType<typeof startChunk> | null = null;
    let afterId = 0;
    for (;;) {
      const chunkStarted = Date.now();
      const customers: Customer[] = await this.dataSource.query(
        "SELECT id, acquisition_cost_minor AS cac FROM customers WHERE id > ? ORDER BY id LIMIT ?",
        [afterId, this.chunkSize],
      );
      if (customers.length === 0) break;
      const next = startChunk(customers);
      afterId = next.toId;
      if (pending) await consume(pending);
      pending = next;
      if (this.options.oneStatementAtATime) {
        await consume(pending);
        pending = null;
        await this.pace(chunkStarted);
      }
    }
    if (pending) await consume(pending);
    if (otherCurrencyOrders > 0) {
      warnings.push(
        `${otherCurrencyOrders} completed order(s) in currencies other than ${currency} were left out`,
      );
    }
    const span = columns.span();
    const firstDay = span ? Math.floor(span.firstAtMs / 86_400_000) : 0;
    const endDay = span ? Math.floor(span.lastAtMs / 86_400_000) : 0;
    const holdout = span ? chooseHoldoutWindow(firstDay, endDay) : null;
    const retention = span ? retentionWindows(firstDay, endDay) : null;
    const cuts = {
      calibrationCut: holdout ? holdout.calibrationEnd + 1 : firstDay,
      retentionPreviousStart: retention ? retention.previousStart : endDay + 1,
      retentionLastStart: retention ? retention.lastStart : endDay + 1,
    };
    // Holdout purchases of customers who had bought before the calibration end.
    const actualByDay = columns.applyCuts(cuts);
    const n = columns.length;
    const aggregateMs = Date.now() - t0;

    // 2. Fit on the whole base, and on the calibration period for the holdout check.
    const t1 = Date.now();
    await report("fitting", 0.45, 0, n);
    const withOrders: number[] = [];
    for (let i = 0; i < n; i++) if (columns.orders[i]! > 0) withOrders.push(i);
    const summaries = summaryColumns(columns, withOrders, endDay, settings, decimals, false);
    const models: FittedValueModels = { bgnbd: null, gammaGamma: null, monthlyRetention: null };
    let bgnbdRecord: BgNbdRecord | null = null;
    let gammaGammaRecord: FittedModelRecord["gammaGamma"] = null;
    if (withOrders.length > 0) {
      try {
        const fit = fitBgNbd(weightSummaries(summaries));
        models.bgnbd = fit.params;
        bgnbdRecord = bgNbdRecord(fit);
      } catch (error) {
        if (!(error instanceof ClvError)) throw error;
        warnings.push(`BG/NBD could not be fitted: ${error.message}`);
      }
      try {
        const fit = fitGammaGamma(summaries);
        models.gammaGamma = fit.params;
        warnings.push(...fit.warnings);
        gammaGammaRecord = {
          params: fit.params,
          standardErrors: fit.standardErrors,
          logLikelihood: fit.logLikelihood,
          customers: fit.customers,
          frequencySpendCorrelation: finiteOrNull(fit.frequencySpendCorrelation),
        };
      } catch (error) {
        if (!(error instanceof ClvError)) throw error;
        warnings.push(`Gamma-Gamma could not be fitted: ${error.message}`);
      }
    } else {
      warnings.push("no customer has a completed order: there is nothing to fit");
    }
    if (settings.model === "bgnbd" && (!models.bgnbd || !models.gammaGamma)) {
      throw new Error(
        `the ${settings.model} model needs BG/NBD and Gamma-Gamma: ${warnings.at(-1) ?? "no fit"}`,
      );
    }
    if (retention) {
      let before = 0;
      let retained = 0;
      for (const i of withOrders) {
        if (columns.activity[i]! & 1) {
          before++;
          if (columns.activity[i]! & 2) retained++;
        }
      }
      models.monthlyRetention = monthlyRetention(before, retained, retention.days);
    }
    if (
      models.monthlyRetention === null &&
      ["simple", "dcf", "retention"].includes(settings.model)
    ) {
      throw new Error(
        `the ${settings.model} model needs the monthly retention rate, which needs purchases in two windows of at least a month`,
      );
    }
    await report("fitting", 0.5, 0, n);
    let holdoutRecord: HoldoutRecord | null = null;
    if (holdout) {
      holdoutRecord = this.holdoutCheck(
        columns,
        withOrders,
        holdout,
        actualByDay,
        settings,
        decimals,
        warnings,
      );
    } else if (withOrders.length > 0) {
      warnings.push("the data span less than three weeks: no holdout check");
    }
    const fitMs = Date.now() - t1;

    // 3. Score every customer, segment the base (RFM, clusters, tiers, lifecycle), and write
    //    the snapshot rows.
    const t2 = Date.now();
    const context: ScoringContext = { settings, endDay, currencyDecimals: decimals, models };
    let totalClv = 0;
    let valued = 0;
    let totalHistorical = 0;
    const unavailable = new Map<string, number>();
    const scores: CustomerScore[] = new Array(n);
    for (let i = 0; i < n; i++) scores[i] = scoreAt(columns, i, context);
    const runAt = this.options.clock?.() ?? new Date();
    const segmentation = await readSegmentationInputs(this.dataSource, { at: runAt, currency });
    const segments = segmentCustomers(
      columns,
      scores,
      endDay,
      settings.horizonMonths,
      segmentation.snapshot,
      segmentation.previous,
      runAt,
    );
    await report("scoring", 0.55, 0, n);
    const rowsPerInsert = driverOf(this.dataSource) === "sqlite" ? 500 : 1000;
    // Scoring a chunk (CPU here) overlaps with writing the previous one (work in MySQL).
    let writing: { done: Promise<void>; end: number } | null = null;
    const written = async (chunk: { done: Promise<void>; end: number }) => {
      await chunk.done;
      await report("scoring", 0.55 + 0.45 * (chunk.end / n) * 0.999, chunk.end, n);
    };
    for (let start = 0; start < n; start += this.chunkSize) {
      const end = Math.min(n, start + this.chunkSize);
      const params: unknown[] = [];
      const statements: { rows: number; params: unknown[] }[] = [];
      for (let i = start; i < end; i++) {
        const score = scores[i]!;
        if (score.clvMinor !== null) {
          totalClv += score.clvMinor;
          valued++;
        } else if (score.clvUnavailable) {
          unavailable.set(score.clvUnavailable, (unavailable.get(score.clvUnavailable) ?? 0) + 1);
        }
        totalHistorical += score.historicalValueMinor;
        params.push(...rowValues(runId, columns, i, score, endDay), ...segmentValues(segments, i));
        if ((i - start + 1) % rowsPerInsert === 0 || i === end - 1) {
          statements.push({
            rows: params.length / INSERT_COLUMNS.length,
            params: params.splice(0),
          });
        }
      }
      if (writing) await written(writing);
      const done = this.dataSource
        .transaction(async (manager) => {
          const writeStarted = Date.now();
          for (const statement of statements) {
            await manager.query(insertSql(statement.rows), statement.params);
          }
          return writeStarted;
        })
        .then((writeStarted) => this.pace(writeStarted));
      done.catch(() => undefined);
      writing = { done, end };
    }
    if (writing) await written(writing);
    for (const [reason, count] of unavailable) {
      warnings.push(
        `${count} customer(s) have no CLV under the ${settings.model} model: ${reason}`,
      );
    }
    const scoreMs = Date.now() - t2;

    const model: FittedModelRecord = {
      timeUnit: settings.timeUnit,
      currency,
      observationStart: span ? isoDay(firstDay) : null,
      observationEnd: span ? isoDay(endDay) : null,
      customers: n,
      customersWithOrders: withOrders.length,
      bgnbd: bgnbdRecord,
      gammaGamma: gammaGammaRecord,
      monthlyRetention: models.monthlyRetention,
      holdout: holdoutRecord,
      totalClvMinor: totalClv,
      customersValued: valued,
      totalHistoricalValueMinor: totalHistorical,
      warnings,
      timings: { aggregateMs, fitMs, scoreMs },
    };
    if (options.signal?.aborted)
      throw new ScoringRunStoppedError(`scoring run ${runId} was stopped`);
    const finishedAt = new Date();
    // The run becomes current and its tier changes become events (webhooks' tier.changed) in
    // one transaction: an event exists only for a run that succeeded, and a run that succeeded
    // has its events.
    const done = await runInTransaction(
      this.dataSource,
      async (manager) => {
        const flipped = await manager
          .createQueryBuilder()
          .update(ScoringRunEntity)
          .set({
            status: "succeeded",
            activeLock: null,
            phase: "done",
            progress: 1,
            customersScored: n,
            customersTotal: n,
            finishedAt,
            heartbeatAt: finishedAt,
            modelJson: JSON.stringify(model),
          })
          .where("id = :id AND status = 'running'", { id: runId })
          .execute();
        if ((flipped.affected ?? 0) === 0) return false;
        const [previous] = (await manager.query(
          "SELECT MAX(id) AS id FROM scoring_runs WHERE status = 'succeeded' AND id < ?",
          [runId],
        )) as { id: number | string | null }[];
        const previousRunId =
          previous?.id === null || previous?.id === undefined ? null : Number(previous.id);
        // Upgrades earns made (points or spend policies) after this run read the tiers stand.
        if (previousRunId !== null && isQualifyingPolicy(segmentation.snapshot.policy))
          await carryEarnUpgrades(manager, runId, previousRunId, runAt);
        await emitTierChanges(manager, runId, previousRunId, finishedAt);
        return true;
      },
      // READ COMMITTED: the events' INSERT … SELECT reads two finished snapshots, which nothing
      // changes, so it need not take shared locks on their rows.
      { readCommitted: true },
    );
    if (!done) {
      throw new ScoringRunStoppedError(`scoring run ${runId} was marked failed by another process`);
    }
  }

  /** Waits `pace` times as long as the work since `startedAt` took (see ScoringServiceOptions). */
  private async pace(startedAt: number): Promise<void> {
    const ratio = this.options.pace ?? 0;
    if (ratio > 0) await sleep(Math.min(5000, (Date.now() - startedAt) * ratio));
  }

  /** Fits on the calibration period and compares its forecast with the holdout. */
  private holdoutCheck(
    columns: CustomerColumns,
    withOrders: number[],
    window: { calibrationEnd: number; holdoutEnd: number },
    actualByDay: Map<number, number>,
    settings: ValueSettings,
    decimals: number,
    warnings: string[],
  ): HoldoutRecord | null {
    const calibrationCustomers = withOrders.filter(
      (i) => columns.firstDay[i]! <= window.calibrationEnd,
    );
    if (calibrationCustomers.length === 0) {
      warnings.push("no customer had bought before the holdout: no holdout check");
      return null;
    }
    const calibration = summaryColumns(
      columns,
      calibrationCustomers,
      window.calibrationEnd,
      settings,
      decimals,
      true,
    );
    let fit: BgNbdFit;
    try {
      fit = fitBgNbd(weightSummaries(calibration));
    } catch (error) {
      if (!(error instanceof ClvError)) throw error;
      warnings.push(`the holdout check could not fit the calibration period: ${error.message}`);
      return null;
    }
    const actual = Float64Array.from(
      calibrationCustomers,
      (i) => columns.purchaseDays[i]! - columns.calibrationDays[i]!,
    );
    const result = holdoutDiagnostics({
      params: fit.params,
      calibration,
      actual,
      actualByDay,
      calibrationEnd: window.calibrationEnd,
      holdoutEnd: window.holdoutEnd,
      timeUnit: settings.timeUnit,
    });
    return {
      calibrationEnd: isoDay(result.calibrationEnd),
      holdoutEnd: isoDay(result.holdoutEnd),
      customers: result.customers,
      periodDays: result.periodDays,
      length: result.length,
      actual: result.actual,
      predicted: result.predicted,
      rmse: finiteOrNull(result.rmse),
      mae: finiteOrNull(result.mae),
      correlation: finiteOrNull(result.correlation),
      tracking: result.tracking,
      calibrationSeries: result.calibrationSeries,
      calibrationFit: bgNbdRecord(fit),
    };
  }

  /**
   * Deletes the customer values of failed runs (the runs themselves stay, for history). A
   * killed run is only known to have failed once it is marked so, which happens before a new
   * run can take the lock.
   */
  private async pruneFailedRuns(currentRunId: number): Promise<void> {
    const failed = await this.runs.find({ select: { id: true }, where: { status: "failed" } });
    for (const { id } of failed) {
      if (id === currentRunId) continue;
      await this.dataSource.query("DELETE FROM customer_values WHERE run_id = ?", [id]);
    }
  }
}

function bgNbdRecord(fit: BgNbdFit): BgNbdRecord {
  return {
    params: fit.params,
    standardErrors: fit.standardErrors,
    logLikelihood: fit.logLikelihood,
    customers: fit.customers,
    repeatCustomers: fit.repeatCustomers,
    iterations: fit.iterations,
    method: fit.method,
  };
}

/** BG/NBD summaries of the given customers at `endDay` (the calibration part when `calibration`). */
function summaryColumns(
  columns: CustomerColumns,
  indexes: number[],
  endDay: number,
  settings: ValueSettings,
  decimals: number,
  calibration: boolean,
): SummaryColumns {
  const out: SummaryColumns = {
    frequency: new Float64Array(indexes.length),
    recency: new Float64Array(indexes.length),
    T: new Float64Array(indexes.length),
    monetary: new Float64Array(indexes.length),
  };
  indexes.forEach((i, k) => {
    const s = summaryFromAggregate(
      {
        purchaseDays: calibration ? columns.calibrationDays[i]! : columns.purchaseDays[i]!,
        firstDay: columns.firstDay[i]!,
        lastDay: calibration ? columns.calibrationLastDay[i]! : columns.lastDay[i]!,
        amountMinor: calibration ? columns.calibrationAmount[i]! : columns.amount[i]!,
        firstDayAmountMinor: columns.firstDayAmount[i]!,
      },
      endDay,
      settings.timeUnit,
      decimals,
    );
    out.frequency[k] = s.frequency;
    out.recency[k] = s.recency;
    out.T[k] = s.T;
    out.monetary![k] = s.monetary;
  });
  return out;
}

function scoreAt(columns: CustomerColumns, i: number, context: ScoringContext): CustomerScore {
  const cac = columns.acquisitionCost[i]!;
  return scoreCustomer(
    {
      acquisitionCostMinor: Number.isNaN(cac) ? null : cac,
      orders:
        columns.orders[i]! > 0
          ? {
              orders: columns.orders[i]!,
              purchaseDays: columns.purchaseDays[i]!,
              firstDay: columns.firstDay[i]!,
              lastDay: columns.lastDay[i]!,
              amountMinor: columns.amount[i]!,
              firstDayAmountMinor: columns.firstDayAmount[i]!,
              marginKnownMinor: columns.marginKnown[i]!,
              amountWithoutMarginMinor: columns.amountWithoutMargin[i]!,
            }
          : null,
    },
    context,
  );
}

function rowValues(
  runId: number,
  columns: CustomerColumns,
  i: number,
  score: CustomerScore,
  endDay: number,
): unknown[] {
  const hasOrders = columns.orders[i]! > 0;
  const x = hasOrders ? columns.purchaseDays[i]! - 1 : 0;
  return [
    runId,
    columns.id[i]!,
    score.clvMinor,
    score.historicalValueMinor,
    toDoubleText(score.pAlive),
    toDoubleText(score.expectedPurchases),
    score.expectedAverageValueMinor,
    score.marginMinor,
    columns.orders[i]!,
    x,
    hasOrders ? columns.lastDay[i]! - columns.firstDay[i]! : null,
    hasOrders ? endDay - columns.firstDay[i]! : null,
    // m̄ in minor units, rounded half to even like every other amount from a ratio.
    x > 0 ? roundHalfEvenRatio(columns.amount[i]! - columns.firstDayAmount[i]!, x) : null,
    hasOrders ? toSqlDateTime(new Date(columns.firstAtMs[i]!)) : null,
    hasOrders ? toSqlDateTime(new Date(columns.lastAtMs[i]!)) : null,
  ];
}

/**
 * A probability or expected count as stored: rounded to 15 significant digits. MariaDB prints
 * DOUBLE values in its text protocol (which TypeORM reads) with an algorithm that does not
 * always give back the stored double (about 1 value in 70 comes back 1–2 ulp off); a double
 * that is the nearest to a 15-digit decimal always comes back exact. Keyset cursors compare
 * p_alive for equality, so what is read must be what is stored.
 */
function toDoubleText(value: number | null): number | null {
  return value === null ? null : Number(value.toPrecision(15));
}

/** n / d (integers, d > 0) rounded half to even. */
function roundHalfEvenRatio(n: number, d: number): number {
  const q = Math.floor(n / d);
  const twice = 2 * (n - q * d);
  return twice > d || (twice === d && q % 2 !== 0) ? q + 1 : q;
}

const ROW = `(${INSERT_COLUMNS.map(() => "?").join(",")})`;
const insertSqlCache = new Map<number, string>();

function insertSql(rows: number): string {
  let sql = insertSqlCache.get(rows);
  if (!sql) {
    sql = `INSERT INTO customer_values (${INSERT_COLUMNS.join(", ")}) VALUES ${Array.from({ length: rows }, () => ROW).join(",")}`;
    insertSqlCache.set(rows, sql);
  }
  return sql;
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  return code === "ER_DUP_ENTRY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}
