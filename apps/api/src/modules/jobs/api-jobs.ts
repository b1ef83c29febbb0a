import type { DataSource } from "typeorm";
import type { AppConfig } from "../../config";
import { registerLoyaltyJobs } from "../loyalty/loyalty-jobs";
import { registerScoringJob, type ScoringJobOptions } from "../value/scoring-jobs";
import { ScoringRunService } from "../value/scoring-run.service";
import {
  registerWebhookDeliveryJob,
  webhookDeliveryTrigger,
  type WebhookJobOptions,
} from "../webhooks/webhook-jobs";
import { attachJobRunner, detachJobRunner } from "./job-runner-registry";
import { JobRunner } from "./job-runner";
import { scheduleTrigger } from "./job-schedules";
import { JobTriggers } from "./job-triggers";

export interface ApiJobsOptions {
  schedulerIntervalMs?: number;
  /** For the scoring job kind (e.g. an end-to-end test's testOnlyPauseAfterChunkMs). */
  scoring?: ScoringJobOptions;
  /** For the webhook delivery job (e.g. a test's short retry waits). */
  webhooks?: WebhookJobOptions;
  /**
   * False: nothing starts jobs by itself (no schedules, webhook deliveries or campaign
   * starts), for tests that count the queries of one request. Default true.
   */
  triggers?: boolean;
}

export interface ApiJobs {
  runner: JobRunner;
  /** What starts jobs by itself (schedules, webhook deliveries); add more with `add`. */
  triggers: JobTriggers;
  /** Stops the scheduler and this process's jobs (marked failed) and waits for them. */
  close(): Promise<void>;
}

/**
 * The API process's job runner: every job kind registered, jobs left by stopped processes
 * recovered, and the schedule ticking (in the API process only; the CLI runs jobs but never
 * starts scheduled ones).
 */
export async function startApiJobs(
  dataSource: DataSource,
  config: Pick<AppConfig, "defaultCurrency" | "defaultMarginRate">,
  log: Pick<Console, "error"> = console,
  options: ApiJobsOptions = {},
): Promise<ApiJobs> {
  const valueOptions = {
    currency: config.defaultCurrency,
    defaultMarginRate: config.defaultMarginRate,
  };
  const runner = new JobRunner(dataSource, { log });
  // Beside the API's reads, a run goes one statement at a time and leaves the database idle
  // as long again after each chunk (see ScoringServiceOptions).
  registerScoringJob(
    runner,
    dataSource,
    { ...valueOptions, oneStatementAtATime: true, pace: 1 },
    options.scoring,
  );
  // Point activation, expiry and the ledger reconciliation (schedulable like scoring).
  registerLoyaltyJobs(runner, dataSource, { defaultMarginRate: config.defaultMarginRate });
  const deliverer = registerWebhookDeliveryJob(runner, dataSource, options.webhooks);
  await runner.recover();
  // Runs from before the job runner, or whose job row was already settled, by their own rows.
  for (const id of await new ScoringRunService(dataSource, valueOptions).recoverAbandoned(true)) {
    log.error(`scoring run ${id} was left unfinished by a stopped process: marked failed`);
  }
  attachJobRunner(dataSource, runner);
  const triggers = new JobTriggers(log, { running: options.triggers !== false });
  triggers.add(scheduleTrigger(dataSource, runner, options.schedulerIntervalMs));
  triggers.add(webhookDeliveryTrigger(runner, deliverer, options.webhooks?.pollMs));
  return {
    runner,
    triggers,
    async close() {
      triggers.stop();
      await runner.stop();
      detachJobRunner(dataSource, runner);
    },
  };
}
