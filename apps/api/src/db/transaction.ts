import { setTimeout as sleep } from "node:timers/promises";
import type { DataSource, EntityManager } from "typeorm";
import { DomainError } from "../errors/domain-error";

function driverErrorField(error: unknown, field: "errno" | "code"): unknown {
  if (typeof error !== "object" || error === null) return undefined;
  return (
    (error as Record<string, unknown>)[field] ??
    (error as { driverError?: Record<string, unknown> }).driverError?.[field]
  );
}

/**
 * MySQL's "deadlock found" (1213; Galera also reports certification conflicts with it) and
 * "lock wait timeout" (1205), and SQLite's busy database.
 *
 * After a deadlock InnoDB has already rolled the whole transaction back: anything run on the
 * same connection afterwards autocommits, outside the transaction the caller thinks it is in.
 * So such an error may only ever be answered by running the whole transaction again
 * ({@link runInTransaction}), never by retrying the statement.
 */
export function isTransientError(error: unknown): boolean {
  const errno = driverErrorField(error, "errno");
  const code = driverErrorField(error, "code");
  return errno === 1213 || errno === 1205 || code === "SQLITE_BUSY";
}

export interface TransactionOptions {
  /** Tries in all before giving up with a BUSY error. Default 12. */
  attempts?: number;
  /** First back-off in ms; it doubles each try, with full jitter, up to 1 s. Default 5. */
  backoffMs?: number;
  /** Told about every try that hit a transient error, e.g. to count them in a test. */
  onRetry?: (attempt: number, error: unknown) => void;
  /**
   * READ COMMITTED on MySQL (SQLite has one writer and ignores it): for a transaction that copies
   * many rows with INSERT … SELECT, which under the default REPEATABLE READ takes shared locks on
   * every row it reads (holding up writers of those tables until commit) and costs about twice
   * the time. Each statement still reads one consistent snapshot; rows locked FOR UPDATE stay
   * locked until commit.
   */
  readCommitted?: boolean;
}

const MAX_BACKOFF_MS = 1000;

/**
 * Runs `work` in one database transaction and returns its result once the transaction has
 * committed. A deadlock or lock wait timeout rolls everything back and runs `work` again from
 * the start, after a jittered exponential back-off, so that contending writers fall into line
 * instead of colliding again at once.
 *
 * This is the only way the API writes in a transaction. `work` must therefore be safe to run
 * more than once: it builds all of its state afresh on each call (nothing computed in a
 * rolled-back try may leak out), and it must not catch transient errors itself. Only what a
 * committed try returned is ever reported.
 *
 * @throws {DomainError} code `BUSY` when every try hit a transient error: nothing was written,
 *   and the caller may try again later.
 */
export async function runInTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 12;
  const backoffMs = options.backoffMs ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return options.readCommitted && dataSource.options.type !== "better-sqlite3"
        ? await dataSource.transaction("READ COMMITTED", work)
        : await dataSource.transaction(work);
    } catch (error) {
      if (!isTransientError(error)) throw error;
      options.onRetry?.(attempt, error);
      if (attempt >= attempts) {
        throw new DomainError(
          "BUSY",
          `the database stayed busy with conflicting writes (${attempts} tries); nothing was written, try again`,
          { cause: error },
        );
      }
      const cap = Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (attempt - 1));
      await sleep(Math.random() * cap);
    }
  }
}
