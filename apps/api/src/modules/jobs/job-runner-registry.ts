import type { DataSource } from "typeorm";
import type { JobRunner } from "./job-runner";

/** The job runner of each data source in this process (the API server attaches its own). */
const runners = new WeakMap<DataSource, JobRunner>();

export function attachJobRunner(dataSource: DataSource, runner: JobRunner): void {
  runners.set(dataSource, runner);
}

export function detachJobRunner(dataSource: DataSource, runner: JobRunner): void {
  if (runners.get(dataSource) === runner) runners.delete(dataSource);
}

/**
 * The job runner serving `dataSource` in this process.
 *
 * @throws {Error} when none is attached: the caller runs outside the API server (startServer).
 */
export function jobRunnerOf(dataSource: DataSource): JobRunner {
  const runner = runners.get(dataSource);
  if (!runner)
    throw new Error("no job runner is attached to this database: start the API server first");
  return runner;
}
