import type { DataSource, EntityManager } from "typeorm";
import { driverOf } from "../../db/data-source";
import { fromSqlDateTime, toSqlDateTime } from "../../db/sql-values";
import { runInTransaction } from "../../db/transaction";
import type { LoginAttemptKind } from "./login-attempt.entity";

/** How many failed logins are free and how the wait grows after them. */
export interface LoginThrottlePolicy {
  /** Failures allowed before any wait. */
  freeFailures: number;
  /** Wait after the first failure beyond the free ones; it doubles with each further failure. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** Failures older than this (counted from the last one) are forgotten. */
  windowSeconds: number;
}

export const EMAIL_LOGIN_POLICY: LoginThrottlePolicy = {
  freeFailures: 5,
  baseDelaySeconds: 1,
  maxDelaySeconds: 900,
  windowSeconds: 3600,
};

/**
 * More free failures per address than per account: people behind one office or carrier NAT
 * share an address, and each of them also has their own account limit.
 */
export const IP_LOGIN_POLICY: LoginThrottlePolicy = {
  freeFailures: 20,
  baseDelaySeconds: 1,
  maxDelaySeconds: 900,
  windowSeconds: 3600,
};

/**
 * Seconds locked out after `failures` failures in a row: none while they are free, then
 * base, 2·base, 4·base… up to the cap.
 *
 * @example lockSeconds(7, EMAIL_LOGIN_POLICY) // 2
 */
export function lockSeconds(failures: number, policy: LoginThrottlePolicy): number {
  const beyond = failures - policy.freeFailures;
  if (beyond <= 0) return 0;
  // Capped before exponentiating so that a huge count cannot overflow to Infinity.
  const doublings = Math.min(beyond - 1, 40);
  return Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** doublings);
}

export interface AttemptState {
  failures: number;
  lastFailureAt: Date | null;
  lockedUntil: Date | null;
}

/**
 * Counts one more attempt against a counter, or refuses it while the counter is locked.
 * The attempt is counted before the password is checked (and given back on success), so that
 * many attempts sent at once cannot all pass the check before the first failure is written.
 */
export function chargeAttempt(
  state: AttemptState | null,
  now: Date,
  policy: LoginThrottlePolicy,
): { retryAfterSeconds: number } | { next: AttemptState } {
  if (state?.lockedUntil && state.lockedUntil.getTime() > now.getTime()) {
    return { retryAfterSeconds: Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000) };
  }
  const recent =
    state?.lastFailureAt &&
    now.getTime() - state.lastFailureAt.getTime() < policy.windowSeconds * 1000;
  const failures = (recent ? state.failures : 0) + 1;
  const lock = lockSeconds(failures, policy);
  return {
    next: {
      failures,
      lastFailureAt: now,
      lockedUntil: lock > 0 ? new Date(now.getTime() + lock * 1000) : null,
    },
  };
}

export type LoginGate = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface AttemptRow {
  kind: LoginAttemptKind;
  subject: string;
  failures: number | string;
  last_failure_at: Date | string | null;
  locked_until: Date | string | null;
}

/**
 * Login attempt limits per email and per client address, kept in `login_attempts` rows so
 * that they hold across API processes. Each check locks both rows (email first, then address,
 * always in that order) for the length of one short transaction.
 */
export class LoginThrottle {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policies: Record<LoginAttemptKind, LoginThrottlePolicy> = {
      email: EMAIL_LOGIN_POLICY,
      ip: IP_LOGIN_POLICY,
    },
  ) {}

  /**
   * Counts an attempt for `email` from `clientIp`, or refuses it (with the seconds to wait)
   * when either counter is locked; a refused attempt changes nothing.
   */
  async charge(email: string, clientIp: string, now = new Date()): Promise<LoginGate> {
    const mysql = driverOf(this.dataSource) === "mysql";
    const keys: [LoginAttemptKind, string][] = [
      ["email", email],
      ["ip", clientIp],
    ];
    return runInTransaction(this.dataSource, async (manager) => {
      for (const [kind, subject] of keys) {
        // The row must exist for FOR UPDATE to lock it; on MySQL the no-op update also takes
        // the row's exclusive lock at once, where INSERT IGNORE would take a shared one and
        // let two callers deadlock upgrading it.
        await manager.query(
          mysql
            ? "INSERT INTO login_attempts (kind, subject, failures) VALUES (?, ?, 0) ON DUPLICATE KEY UPDATE failures = failures"
            : "INSERT INTO login_attempts (kind, subject, failures) VALUES (?, ?, 0) ON CONFLICT (kind, subject) DO NOTHING",
          [kind, subject],
        );
      }
      const rows = (await manager.query(
        `SELECT kind, subject, failures, last_failure_at, locked_until FROM login_attempts
         WHERE (kind = ? AND subject = ?) OR (kind = ? AND subject = ?)${mysql ? " FOR UPDATE" : ""}`,
        keys.flat(),
      )) as AttemptRow[];
      const updates: [LoginAttemptKind, string, AttemptState][] = [];
      let retryAfterSeconds = 0;
      for (const [kind, subject] of keys) {
        const row = rows.find((r) => r.kind === kind && r.subject === subject);
        const state = row
          ? {
              failures: Number(row.failures),
              lastFailureAt: fromSqlDateTime(row.last_failure_at),
              lockedUntil: fromSqlDateTime(row.locked_until),
            }
          : null;
        const charged = chargeAttempt(state, now, this.policies[kind]);
        if ("retryAfterSeconds" in charged)
          retryAfterSeconds = Math.max(retryAfterSeconds, charged.retryAfterSeconds);
        else updates.push([kind, subject, charged.next]);
      }
      if (retryAfterSeconds > 0) return { allowed: false, retryAfterSeconds };
      for (const [kind, subject, next] of updates) {
        await manager.query(
          "UPDATE login_attempts SET failures = ?, last_failure_at = ?, locked_until = ? WHERE kind = ? AND subject = ?",
          [
            next.failures,
            next.lastFailureAt && toSqlDateTime(next.lastFailureAt),
            next.lockedUntil && toSqlDateTime(next.lockedUntil),
            kind,
            subject,
          ],
        );
      }
      return { allowed: true };
    });
  }

  /**
   * A login succeeded: the account's count starts again; the address only gets this attempt
   * back, so that logging into one's own account does not wipe the failures one made against
   * others from the same address.
   */
  async succeeded(manager: EntityManager, email: string, clientIp: string): Promise<void> {
    await manager.query("DELETE FROM login_attempts WHERE kind = 'email' AND subject = ?", [email]);
    // locked_until first: MySQL evaluates single-table SET assignments left to right, with the
    // values already assigned, while SQLite uses the old ones; this order means the same.
    await manager.query(
      `UPDATE login_attempts
       SET locked_until = CASE WHEN failures - 1 <= ? THEN NULL ELSE locked_until END,
           failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END
       WHERE kind = 'ip' AND subject = ?`,
      [this.policies.ip.freeFailures, clientIp],
    );
  }

  /** Forgets the failures of an account (an operator re-enabling it). */
  static async resetEmail(manager: EntityManager, email: string): Promise<void> {
    await manager.query("DELETE FROM login_attempts WHERE kind = 'email' AND subject = ?", [email]);
  }
}
