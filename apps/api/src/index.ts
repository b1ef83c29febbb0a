/**
 * `@valuetier/api`: the application (`./app`) and its HTTP server. Test helpers are in
 * `@valuetier/api/testing`, the CSV reader alone in `@valuetier/api/csv`.
 */
export * from "./app";
export { startServer, type RunningServer } from "./server";
export {
  JobRunner,
  JobBusyError,
  JobStoppedError,
  type JobContext,
  type JobHandler,
  type JobRunnerOptions,
} from "./modules/jobs/job-runner";
export { JobEntity, type JobStatus } from "./modules/jobs/job.entity";
export {
  registerScoringJob,
  runOfJob,
  SCORING_JOB,
  type ScoringJobParams,
  type ScoringJobResult,
} from "./modules/value/scoring-jobs";
