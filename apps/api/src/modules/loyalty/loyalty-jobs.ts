import type { DataSource } from "typeorm";
import { DomainError, problem, type Problem } from "../../errors/domain-error";
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
  /**
   * ISO instant to run "as of" (tests, a replay); default the server clock. Never later than the
   * clock (see {@link checkHousekeepingAsOf}).
   */
  now?: string;
}

/** How far past the server clock an "as of" may be: clock skew between machines, no more. */
export const AS_OF_SKEW_MS = 5 * 60_000;

/**
 * Reads the instant an activation or expiry pass is asked to run as of. A later instant than
 * the clock is refused: the pass would activate and expire points early and move each account's
 * ledger clock forward, so the next real earns would be dated in the future.
 *
 * @param raw - the ISO 8601 instant asked for.
 * @param clock - the server clock now.
 * @param field - where `raw` came from, named in the problem (e.g. "now", "--as-of").
 * @returns the instant, or the problem: INVALID_INPUT (not an instant) or AS_OF_IN_FUTURE (later
 *   than `clock` by more than {@link AS_OF_SKEW_MS}).
 * @example checkHousekeepingAsOf("2999-01-01T00:00:00Z", new Date(), "now") // AS_OF_IN_FUTURE
 */
export function checkHousekeepingAsOf(raw: string, clock: Date, field: string): Date | Problem {
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) {
    return problem(field, "INVALID_INPUT", `${field}: "${raw}" is not an ISO 8601 instant`);
  }
  if (date.getTime() > clock.getTime() + AS_OF_SKEW_MS) {
    return problem(
      field,
      "AS_OF_IN_FUTURE",
      `${field}: ${date.toISOString()} is later than the server clock (${clock.toISOString()}); ` +
        `activation and expiry run as of now or an earlier instant (${AS_OF_SKEW_MS / 60_000} minutes of clock skew allowed)`,
    );
  }
  return date;
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
    const clock = (options.now ?? (() => new Date()))();
    if (params?.now === undefined) return clock;
    const checked = checkHousekeepingAsOf(params.now, clock, "now");
    if (checked instanceof Date) return checked;
    const code = checked.code === "AS_OF_IN_FUTURE" ? "AS_OF_IN_FUTURE" : "INVALID_INPUT";
    throw new DomainError(code, checked.message, { field: checked.field });
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
