import type { DataSource } from "typeorm";
import type { JobRunner } from "../jobs/job-runner";
import { reconcileLoyalty, type ReconcileReport } from "./loyalty-reconcile";
import { LoyaltyService, type HousekeepingResult } from "./loyalty.service";
import { emitPointsExpiringSoon } from "../webhooks/points-expiring-soon";

/** Job kinds of the loyalty programme (schedulable like scoring, runnable from the CLI). */
export const LOYALTY_ACTIVATE_JOB = "loyalty-activate";
export const LOYALTY_EXPIRE_JOB = "loyalty-expire";
export const LOYALTY_RECONCILE_JOB = "loyalty-reconcile";
export const LOYALTY_JOBS = [
  LOYALTY_ACTIVATE_JOB,
  LOYALTY_EXPIRE_JOB,
  LOYALTY_RECONCILE_JOB,
] as const;

/** What the activation and expiry jobs are asked with. */
export interface LoyaltyHousekeepingParams {
  /** ISO instant to run "as of" (tests, a replay); default the server clock. */
  now?: string;
}

export interface LoyaltyHousekeepingResult extends HousekeepingResult {
  /** The instant the pass ran as of. */
  asOf: string;
}

/**
 * Registers the loyalty jobs on a runner:
 * - `loyalty-activate`: makes every pending lot whose return window has ended available;
 * - `loyalty-expire`: expires the open points of every lot whose expiry has come (activating
 *   what is due first, so a debt is repaid before points lapse);
 * - `loyalty-reconcile`: recomputes every account from its entries and lots and reports each
 *   difference (cached balance, available, pending, lifetime totals, lot vs its changes, entry vs
 *   its lot changes). It fixes nothing.
 *
 * Activation and expiry are idempotent: each lot is activated or expired once, by an entry in
 * the same transaction as the lot's change, so a second run, or a run after a crash part way,
 * finds nothing left of what the first did.
 */
export function registerLoyaltyJobs(
  runner: JobRunner,
  dataSource: DataSource,
  options: { defaultMarginRate: string; now?: () => Date },
): JobRunner {
  const loyalty = new LoyaltyService(dataSource, options);
  const asOf = (params: LoyaltyHousekeepingParams | undefined): Date => {
    if (params?.now === undefined) return (options.now ?? (() => new Date()))();
    const date = new Date(params.now);
    if (Number.isNaN(date.getTime())) throw new Error(`now: "${params.now}" is not an instant`);
    return date;
  };
  runner.register<LoyaltyHousekeepingParams | undefined, LoyaltyHousekeepingResult>(
    LOYALTY_ACTIVATE_JOB,
    async (context) => {
      const now = asOf(context.params);
      const result = await loyalty.activateDue(now, (done, total) =>
        context.progress(total === 0 ? 1 : done / total, `${done} of ${total} accounts`),
      );
      return { ...result, asOf: now.toISOString() };
    },
  );
  runner.register<LoyaltyHousekeepingParams | undefined, LoyaltyHousekeepingResult>(
    LOYALTY_EXPIRE_JOB,
    async (context) => {
      const now = asOf(context.params);
      const result = await loyalty.expireDue(now, (done, total) =>
        context.progress(total === 0 ? 1 : done / total, `${done} of ${total} accounts`),
      );
      // Webhooks: tell about the points expiring within the notice window (once per expiry).
      await emitPointsExpiringSoon(dataSource, loyalty, now);
      return { ...result, asOf: now.toISOString() };
    },
  );
  runner.register<undefined, ReconcileReport>(LOYALTY_RECONCILE_JOB, async (context) =>
    reconcileLoyalty(dataSource, {
      onProgress: (done, total) => context.progress(done / total, `${done} of ${total} accounts`),
    }),
  );
  return runner;
}
