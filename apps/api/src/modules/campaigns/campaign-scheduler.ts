import { systemActor } from "../audit/audit.service";
import type { JobRunner } from "../jobs/job-runner";
import type { JobTrigger } from "../jobs/job-triggers";
import type { CampaignService } from "./campaign.service";

/** The job kind that starts and ends campaigns on their schedule. */
export const CAMPAIGN_SCHEDULER_JOB = "campaign-scheduler";

/**
 * Registers the `campaign-scheduler` job kind (once per runner) and returns the trigger that,
 * every `everyMs` (default 15 s), enqueues it when a scheduled campaign's start or a campaign's
 * end has come, so that job history holds only runs that had work. Idempotent: the job lock
 * lets one run at a time across processes, and each campaign is started or ended under its row
 * lock only if still due (CampaignService.runSchedule).
 */
export function campaignScheduleTrigger(
  runner: JobRunner,
  campaigns: CampaignService,
  options: { everyMs?: number; log?: Pick<Console, "error"> } = {},
): JobTrigger {
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
  return {
    name: "campaign scheduler",
    everyMs: options.everyMs ?? 15_000,
    fire: async () => {
      if ((await campaigns.dueCampaigns()).length === 0) return;
      await runner.enqueue(CAMPAIGN_SCHEDULER_JOB, undefined, systemActor("schedule"));
    },
  };
}
