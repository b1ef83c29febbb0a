import { setTimeout as sleep } from "node:timers/promises";
import type { DataSource } from "typeorm";
import { systemActor } from "../audit/audit.service";
import type { JobContext, JobRunner } from "../jobs/job-runner";
import type { JobTrigger } from "../jobs/job-triggers";
import {
  WebhookDeliverer,
  type DeliveryRound,
  type WebhookDelivererOptions,
} from "./webhook-deliverer";

/** The job kind that sends webhooks. */
export const WEBHOOK_DELIVERY_JOB = "webhook-delivery";

export interface WebhookJobOptions extends WebhookDelivererOptions {
  /** How often the API process looks for work when no delivery job runs, in ms. Default 2,000. */
  pollMs?: number;
  /**
   * How long a delivery job stays on, looking every `pollMs`, after it last found work, in ms:
   * a steady trickle of events is one job, not one job row every few seconds. Default 60,000.
   */
  idleMs?: number;
}

/**
 * Registers the `webhook-delivery` job: fan out new events and send due deliveries, again every
 * `pollMs` while work keeps coming, and end after `idleMs` without any. The job runner's lock
 * keeps one such job at a time across processes; the deliverer's leases would keep two apart
 * too.
 */
export function registerWebhookDeliveryJob(
  runner: JobRunner,
  dataSource: DataSource,
  options: WebhookJobOptions = {},
): WebhookDeliverer {
  const deliverer = new WebhookDeliverer(dataSource, options);
  const pollMs = options.pollMs ?? 2000;
  const idleMs = options.idleMs ?? 60_000;
  runner.register(WEBHOOK_DELIVERY_JOB, async (context: JobContext<unknown>) => {
    const total: DeliveryRound = { fannedOut: 0, sent: 0, succeeded: 0, failed: 0 };
    let lastWork = Date.now();
    while (!context.signal.aborted) {
      const round = await deliverer.deliverDue({
        signal: context.signal,
        beforeBatch: () => context.heartbeat(),
      });
      total.fannedOut += round.fannedOut;
      total.sent += round.sent;
      total.succeeded += round.succeeded;
      total.failed += round.failed;
      if (round.fannedOut > 0 || round.sent > 0) {
        lastWork = Date.now();
        await context.progress(
          0,
          `${total.sent} sent (${total.succeeded} delivered, ${total.failed} failed attempts)`,
        );
      }
      if (Date.now() - lastWork >= idleMs) break;
      await sleep(pollMs, undefined, { signal: context.signal }).catch(() => undefined);
    }
    return total;
  });
  return deliverer;
}

/**
 * How deliveries start soon after events are emitted: every `everyMs` (default 2 s; two small
 * indexed queries) the API process looks whether an event waits to be fanned out or a delivery
 * is due, and if so enqueues the delivery job, unless one is running already (here or in
 * another process: enqueue then returns that one).
 */
export function webhookDeliveryTrigger(
  runner: JobRunner,
  deliverer: WebhookDeliverer,
  everyMs = 2000,
): JobTrigger {
  return {
    name: "webhook delivery",
    everyMs,
    fire: async () => {
      if ((await runner.active(WEBHOOK_DELIVERY_JOB)) === null && (await deliverer.hasWork())) {
        await runner.enqueue(WEBHOOK_DELIVERY_JOB, undefined, systemActor("webhooks"));
      }
    },
  };
}
