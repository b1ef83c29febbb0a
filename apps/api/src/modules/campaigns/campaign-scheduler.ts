import { systemActor } from "../audit/audit.service";
import type { JobRunner } from "../jobs/job-runner";
import type { CampaignService } from "./campaign.service";

/** The job kind that starts and ends campaigns on their schedule. */
export const CAMPAIGN_SCHEDULER_JOB = "campaign-scheduler";

export interface CampaignSchedulerOptions {
  /** How often the process looks for campaigns due to start or end, in ms. Default 15,000. */
  intervalMs?: number;
  log?: Pick<Console, "error">;
}

/**
 * Registers the `campaign-scheduler` job kind and, every `intervalMs` (unref'd), enqueues it when
 * a scheduled campaign's start or a campaign's end has come, so that job history holds only
 * runs that had work. Idempotent: the job lock lets one run at a time across processes, and each
 * campaign is started or ended under its row lock only if still due (CampaignService.runSchedule).
 *
 * @returns a function that stops the timer.
 */
export function startCampaignScheduler(
  runner: JobRunner,
  campaigns: CampaignService,
  options: CampaignSchedulerOptions = {},
): () => void {
  const log = options.log ?? console;
  if (!runner.handles(CAMPAIGN_SCHEDULER_JOB)) {
    runner.register(CAMPAIGN_SCHEDULER_JOB, async (context) => {
      const outcome = await campaigns.runSchedule();
      await context.progress(
        1,
        `started ${outcome.launched.length}, ended ${outcome.ended.length}` +
          (outcome.failed.length ? `, failed ${outcome.failed.length}` : ""),
      );
      for (const failure of outcome.failed) {
        log.error(`campaign ${failure.id} could not be moved on schedule: ${failure.error}`);
      }
      return outcome;
    });
  }
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void (async () => {
      try {
        if ((await campaigns.dueCampaigns()).length === 0) return;
        await runner.enqueue(CAMPAIGN_SCHEDULER_JOB, undefined, systemActor("schedule"));
      } catch (error) {
        log.error(`campaign scheduler: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        ticking = false;
      }
    })();
  }, options.intervalMs ?? 15_000);
  timer.unref();
  return () => clearInterval(timer);
}
