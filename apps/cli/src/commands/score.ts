import type {
  FittedModelRecord,
  ScoringJobParams,
  ScoringJobResult,
  ScoringProgress,
  ScoringRunEntity,
} from "@valuetier/api";
import { formatMoney, type ValueSettings } from "@valuetier/domain";
import type { Command } from "commander";
import { CliError } from "../cli-error";
import { databaseConfig } from "../database-config";
import { printJson, stopOnInterrupt, type CliIo } from "../io";

interface ScoreOptions {
  databaseUrl?: string;
  json?: boolean;
  keepFailed?: boolean;
}

const PROGRESS_MS = 2000;

function progressReporter(io: CliIo): (p: ScoringProgress) => void {
  let lastPhase = "";
  let lastTime = 0;
  return (p) => {
    if (p.phase === lastPhase && Date.now() - lastTime < PROGRESS_MS) return;
    lastPhase = p.phase;
    lastTime = Date.now();
    const count =
      p.phase === "scoring"
        ? ` (${p.customersScored.toLocaleString("en")} of ${p.customersTotal.toLocaleString("en")} customers)`
        : ` (${p.customersTotal.toLocaleString("en")} customers)`;
    io.stderr(`scoring run ${p.runId}: ${p.phase} ${(p.progress * 100).toFixed(0)}%${count}\n`);
  };
}

/** The run summary printed by --json (one document). */
export function runSummary(run: ScoringRunEntity, currency: string) {
  const settings = JSON.parse(run.settingsJson) as ValueSettings;
  const model = JSON.parse(run.modelJson ?? "null") as FittedModelRecord | null;
  const seconds =
    run.startedAt && run.finishedAt
      ? (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000
      : null;
  return {
    run: {
      id: run.id,
      status: run.status,
      customersScored: run.customersScored,
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
      seconds,
    },
    settings,
    totals: model
      ? {
          currency,
          customers: model.customers,
          customersWithOrders: model.customersWithOrders,
          customersValued: model.customersValued,
          clv: formatMoney(model.totalClvMinor, currency),
          historicalValue: formatMoney(model.totalHistoricalValueMinor, currency),
        }
      : null,
    model: model
      ? {
          timeUnit: model.timeUnit,
          observationStart: model.observationStart,
          observationEnd: model.observationEnd,
          bgnbd: model.bgnbd && {
            ...model.bgnbd.params,
            logLikelihood: model.bgnbd.logLikelihood,
            standardErrors: model.bgnbd.standardErrors,
          },
          gammaGamma: model.gammaGamma && {
            ...model.gammaGamma.params,
            logLikelihood: model.gammaGamma.logLikelihood,
            standardErrors: model.gammaGamma.standardErrors,
          },
          monthlyRetention: model.monthlyRetention,
          holdout: model.holdout && {
            calibrationEnd: model.holdout.calibrationEnd,
            holdoutEnd: model.holdout.holdoutEnd,
            customers: model.holdout.customers,
            actual: model.holdout.actual,
            predicted: model.holdout.predicted,
            rmse: model.holdout.rmse,
            mae: model.holdout.mae,
            correlation: model.holdout.correlation,
          },
          timings: model.timings,
        }
      : null,
    warnings: model?.warnings ?? [],
  };
}

async function runScore(options: ScoreOptions, io: CliIo): Promise<void> {
  // Loaded here, not at start-up: the API pulls in TypeORM and both database drivers.
  const {
    JobBusyError,
    JobRunner,
    JobStoppedError,
    ScoringRunBusyError,
    ScoringRunEntity: RunEntity,
    ScoringRunStoppedError,
    SCORING_JOB,
    openDatabase,
    registerScoringJob,
    systemActor,
  } = await import("@valuetier/api");
  const { config, databaseUrl } = await databaseConfig(options.databaseUrl);
  const stop = stopOnInterrupt(
    io,
    "stopping: the run is marked failed and the current values stay",
  );
  let dataSource;
  try {
    dataSource = await openDatabase(
      { ...config, databaseUrl },
      { error: (m: string) => io.stderr(`${m}\n`) },
    );
    // The same job runner and lock as the API's runScoring: one scoring run at a time, across
    // every process. The run executes in a worker thread (see executeScoringRun).
    const runner = new JobRunner(dataSource, {
      log: { error: (m: string) => io.stderr(`${m}\n`) },
    });
    registerScoringJob(
      runner,
      dataSource,
      { currency: config.defaultCurrency, defaultMarginRate: config.defaultMarginRate },
      { onProgress: progressReporter(io), nice: 0 },
    );
    let run: ScoringRunEntity;
    try {
      const actor = systemActor("cli");
      const { result } = await runner.run<ScoringJobParams, ScoringJobResult>(
        SCORING_JOB,
        { actor, pruneFailedRuns: !options.keepFailed },
        actor,
        { signal: stop.signal },
      );
      run = await dataSource.getRepository(RunEntity).findOneByOrFail({ id: result.runId });
    } catch (error) {
      if (error instanceof JobBusyError) {
        const active = await dataSource
          .getRepository(RunEntity)
          .findOneBy({ jobId: error.activeJob.id });
        throw new CliError(
          active
            ? `scoring run ${active.id} is already ${active.status} (started by ${active.triggeredBy}); wait for it to finish`
            : error.message,
        );
      }
      if (error instanceof ScoringRunBusyError) throw new CliError(error.message);
      if (error instanceof JobStoppedError || error instanceof ScoringRunStoppedError) {
        throw new CliError(error.message);
      }
      if (error instanceof Error) {
        throw new CliError(`the scoring run failed: ${error.message.split("\n")[0]}`);
      }
      throw error;
    }
    const summary = runSummary(run, config.defaultCurrency);
    if (options.json) {
      printJson(io, summary);
    } else {
      const totals = summary.totals!;
      io.stdout(
        `scoring run ${run.id} ${run.status}: ${run.customersScored.toLocaleString("en")} customers ` +
          `in ${summary.run.seconds?.toFixed(1)} s (model ${summary.settings.model}, ` +
          `${summary.settings.horizonMonths} months)\n` +
          `total CLV ${totals.clv} ${totals.currency} over ${totals.customersValued.toLocaleString("en")} customers; ` +
          `historical value ${totals.historicalValue} ${totals.currency}\n`,
      );
    }
    for (const warning of summary.warnings) io.stderr(`warning: ${warning}\n`);
  } finally {
    stop.dispose();
    if (dataSource?.isInitialized) await dataSource.destroy();
  }
}

/** `valuetier score`: the scoring run over the database, in the foreground (as the API's runScoring). */
export function register(program: Command, io: CliIo): void {
  program
    .command("score")
    .description(
      "score every customer in the database (historical value, P(alive), expected purchases " +
        "and spend, CLV under the configured model) and make it the current snapshot",
    )
    .option(
      "--database-url <url>",
      "mysql://user:pass@host:port/db (default: DATABASE_URL, else the embedded SQLite file)",
    )
    .option("--keep-failed", "keep the customer values of earlier failed runs (pruned by default)")
    .option("--json", "print one JSON document with the run summary on stdout")
    .action(async (options: ScoreOptions) => runScore(options, io));
}
