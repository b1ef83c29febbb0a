import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { DataSource } from "typeorm";
import type { Actor } from "../audit/audit.service";
import type { JobEntity } from "../jobs/job.entity";
import type { JobRunner } from "../jobs/job-runner";
import { jobRunnerOf } from "../jobs/job-runner-registry";
import { executeScoringRun, type ExecuteScoringOptions } from "./scoring-in-worker";
import { ScoringRunEntity } from "./scoring-run.entity";
import {
  ScoringRunBusyError,
  ScoringRunService,
  type ScoringProgress,
  type ScoringServiceOptions,
} from "./scoring-run.service";

/** The job kind of a scoring run. */
export const SCORING_JOB = "scoring";

/** What a scoring job is asked with (stored as the job's params). */
export interface ScoringJobParams {
  /** Who asked, for the run's `triggered_by` and the audit log. */
  actor: Actor;
  /** Delete the customer values of earlier failed runs first (default true). */
  pruneFailedRuns?: boolean;
}

/** What a scoring job returns (the job's result). */
export interface ScoringJobResult {
  runId: number;
  customersScored: number;
  /**
   * How long this process's event loop was held up while the run went on (monitorEventLoopDelay,
   * ms): what the API's other requests waited at worst because of the run and everything else.
   */
  eventLoopDelay: { p50Ms: number; p99Ms: number; maxMs: number };
}

export interface ScoringJobOptions {
  /** Also told about every chunk (the CLI prints progress with it). */
  onProgress?: ExecuteScoringOptions["onProgress"];
  /** Worker thread niceness (see ExecuteScoringOptions.nice). */
  nice?: number;
  /** TESTS ONLY (see ExecuteScoringOptions.testOnlyPauseAfterChunkMs). */
  testOnlyPauseAfterChunkMs?: number;
}

const PHASE_LABEL: Record<ScoringProgress["phase"], string> = {
  aggregating: "aggregating orders",
  fitting: "fitting the models",
  scoring: "scoring customers",
};

function progressMessage(p: ScoringProgress): string {
  return p.phase === "scoring"
    ? `${PHASE_LABEL[p.phase]}: ${p.customersScored} of ${p.customersTotal}`
    : `${PHASE_LABEL[p.phase]} (${p.customersTotal} customers)`;
}

/**
 * Registers the scoring run as a job kind: the job is the execution (single flight across
 * processes, heartbeat, cancellation, schedule, history), the scoring_runs row it makes when
 * queued is the snapshot customer values point to (scoring_runs.job_id links them). The run
 * itself executes in a worker thread (executeScoringRun).
 */
export function registerScoringJob(
  runner: JobRunner,
  dataSource: DataSource,
  service: ScoringServiceOptions,
  options: ScoringJobOptions = {},
): JobRunner {
  const runs = new ScoringRunService(dataSource, service);
  return runner.register<ScoringJobParams, ScoringJobResult>(
    SCORING_JOB,
    async (context) => {
      const run = await runOfJob(dataSource, context.jobId);
      if (!run) throw new Error(`scoring job ${context.jobId} has no scoring run`);
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      await executeScoringRun(dataSource, service, run.id, {
        signal: context.signal,
        pruneFailedRuns: context.params.pruneFailedRuns ?? true,
        nice: options.nice,
        testOnlyPauseAfterChunkMs: options.testOnlyPauseAfterChunkMs,
        onProgress: async (progress) => {
          await context.progress(progress.progress, progressMessage(progress));
          await options.onProgress?.(progress);
        },
      });
      delay.disable();
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      const done = await dataSource.getRepository(ScoringRunEntity).findOneByOrFail({ id: run.id });
      return {
        runId: done.id,
        customersScored: done.customersScored,
        eventLoopDelay: {
          p50Ms: ms(delay.percentile(50)),
          p99Ms: ms(delay.percentile(99)),
          maxMs: ms(delay.max),
        },
      };
    },
    {
      // The job holds the scoring lock here, so a run still marked under way is a dead job's.
      onQueued: async (job, params) => {
        const { run, created } = await runs.enqueue((params as ScoringJobParams).actor, {
          jobId: job.id,
          takeOver: true,
        });
        if (!created) throw new ScoringRunBusyError(run);
      },
      onAbandoned: async (jobId) => {
        await runs.failRunsOfJob(jobId, "abandoned: the process running it stopped");
      },
      // A job cancelled while queued, or failed before its run started, leaves the run queued.
      onStopped: async (jobId, error) => {
        await runs.failRunsOfJob(jobId, error);
      },
    },
  );
}

/** The scoring run a job made (null before it made one). */
export function runOfJob(dataSource: DataSource, jobId: number): Promise<ScoringRunEntity | null> {
  return dataSource.getRepository(ScoringRunEntity).findOneBy({ jobId });
}

/**
 * Starts a scoring job in the background of this process and returns its run at once (queued).
 * While a scoring job is under way, anywhere, returns that job's run and nothing new starts.
 * Progress is on the run's row and the job's; a failure is recorded on both, never thrown here.
 */
export async function startScoringInBackground(
  dataSource: DataSource,
  runner: JobRunner,
  actor: Actor,
): Promise<{ run: ScoringRunEntity; job: JobEntity | null; created: boolean }> {
  const params: ScoringJobParams = { actor };
  let claimed: { job: JobEntity; created: boolean };
  try {
    claimed = await runner.enqueue(SCORING_JOB, params, actor);
  } catch (error) {
    // A run from a process without the job runner holds the run lock.
    if (error instanceof ScoringRunBusyError) {
      return { run: error.activeRun, job: null, created: false };
    }
    throw error;
  }
  // A job found under way in another process makes its run right after taking the lock.
  for (let wait = 0; ; wait++) {
    const run = await runOfJob(dataSource, claimed.job.id);
    if (run) return { run, ...claimed };
    if (wait >= 40) {
      throw new Error(`scoring job ${claimed.job.id} has not made its run yet; try again`);
    }
    await sleep(25);
  }
}

/** Waits for the scoring jobs this process runs to end (tests). */
export async function settleScoringJobs(dataSource: DataSource): Promise<void> {
  await jobRunnerOf(dataSource).settle();
}
