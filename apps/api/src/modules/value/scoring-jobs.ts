import type { DataSource } from "typeorm";
import type { Actor } from "../audit/audit.service";
import type { ScoringRunEntity } from "./scoring-run.entity";
import { ScoringRunService, type ScoringServiceOptions } from "./scoring-run.service";

interface Job {
  runId: number;
  controller: AbortController;
  done: Promise<void>;
}

/** Runs executing in the background of this API process, per data source. */
const jobs = new WeakMap<DataSource, Set<Job>>();

/**
 * Starts a scoring run in the background of the API process and returns it at once (queued).
 * When a run is already under way, anywhere, that run is returned instead and nothing new
 * starts. Progress is written to the run's row after every chunk; a failure is recorded on
 * the run (and logged), never thrown at the caller.
 */
export async function startScoringInBackground(
  dataSource: DataSource,
  options: ScoringServiceOptions,
  actor: Actor,
  log: Pick<Console, "error"> = console,
): Promise<ScoringRunEntity> {
  const service = new ScoringRunService(dataSource, options);
  const { run, created } = await service.enqueue(actor);
  if (!created) return run;
  const controller = new AbortController();
  let set = jobs.get(dataSource);
  if (!set) {
    set = new Set();
    jobs.set(dataSource, set);
  }
  const job: Job = {
    runId: run.id,
    controller,
    done: new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => service.execute(run.id, { signal: controller.signal }))
      .then(
        () => undefined,
        (error: unknown) => {
          if (!controller.signal.aborted) {
            log.error(
              `scoring run ${run.id} failed: ${error instanceof Error ? error.message : error}`,
            );
          }
        },
      )
      .finally(() => set.delete(job)),
  };
  set.add(job);
  return run;
}

/** Stops this process's background runs (marked failed) and waits for them; for shutdown. */
export async function stopScoringJobs(dataSource: DataSource): Promise<void> {
  const set = jobs.get(dataSource);
  if (!set) return;
  for (const job of set) job.controller.abort();
  await Promise.all([...set].map((job) => job.done));
}

/** Waits for this process's background runs to finish (tests). */
export async function settleScoringJobs(dataSource: DataSource): Promise<void> {
  const set = jobs.get(dataSource);
  if (set) await Promise.all([...set].map((job) => job.done));
}

/**
 * At API start-up: marks failed the runs left queued or running by a process that is gone (see
 * ScoringRunService.recoverAbandoned), so that their rows stay invisible and a new run can start.
 */
export async function recoverAbandonedScoringRuns(
  dataSource: DataSource,
  options: ScoringServiceOptions,
  log: Pick<Console, "error"> = console,
): Promise<void> {
  const recovered = await new ScoringRunService(dataSource, options).recoverAbandoned(true);
  for (const id of recovered) {
    log.error(`scoring run ${id} was left unfinished by a stopped process: marked failed`);
  }
}
