import { QueryFailedError, type DataSource, type EntityManager } from "typeorm";
import { JobLockEntity } from "./job-lock.entity";

export type LockAttempt =
  | {
      acquired: true;
      /** The job of a stale lock taken over, to be marked failed. */ tookOver: number | null;
    }
  | { acquired: false; holderJobId: number };

/**
 * Takes the single-flight lock of `kind` for `jobId`, or says which job holds it. Every step
 * is one conditional statement on the kind's row, so two processes racing for it never both
 * win: the INSERT of the row (first use of the kind), an UPDATE of a free row, or an UPDATE of
 * a row whose holder stopped heartbeating before `staleBefore` (and which is still the holder
 * that was read, so a holder that heartbeats meanwhile keeps it).
 */
export async function acquireJobLock(
  dataSource: DataSource,
  kind: string,
  jobId: number,
  owner: string,
  now: Date,
  staleBefore: Date,
): Promise<LockAttempt> {
  const locks = dataSource.getRepository(JobLockEntity);
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await locks.findOneBy({ kind });
    if (!row) {
      try {
        await locks.insert({ kind, jobId, owner, heartbeatAt: now });
        return { acquired: true, tookOver: null };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        continue; // another process made the row first: read it again
      }
    }
    const taking = locks
      .createQueryBuilder()
      .update(JobLockEntity)
      .set({ jobId, owner, heartbeatAt: now })
      .where("kind = :kind", { kind });
    if (row.jobId === null) {
      const result = await taking.andWhere("job_id IS NULL").execute();
      if ((result.affected ?? 0) > 0) return { acquired: true, tookOver: null };
      continue;
    }
    if (row.heartbeatAt === null || row.heartbeatAt < staleBefore) {
      const result = await taking
        .andWhere("job_id = :held AND owner = :heldBy", { held: row.jobId, heldBy: row.owner })
        .andWhere("(heartbeat_at IS NULL OR heartbeat_at < :staleBefore)", { staleBefore })
        .execute();
      if ((result.affected ?? 0) > 0) return { acquired: true, tookOver: row.jobId };
      continue;
    }
    return { acquired: false, holderJobId: row.jobId };
  }
  throw new Error(`the ${kind} job lock kept changing hands; try again`);
}

/** Touches the lock's heartbeat; false when this owner no longer holds it (taken over). */
export async function touchJobLock(
  dataSource: DataSource,
  kind: string,
  jobId: number,
  owner: string,
  now: Date,
): Promise<boolean> {
  const result = await dataSource
    .createQueryBuilder()
    .update(JobLockEntity)
    .set({ heartbeatAt: now })
    .where("kind = :kind AND job_id = :jobId AND owner = :owner", { kind, jobId, owner })
    .execute();
  return (result.affected ?? 0) > 0;
}

/** Frees the lock if this owner still holds it for this job. */
export async function releaseJobLock(
  manager: EntityManager,
  kind: string,
  jobId: number,
  owner: string,
): Promise<boolean> {
  const result = await manager
    .createQueryBuilder()
    .update(JobLockEntity)
    .set({ jobId: null, owner: "", heartbeatAt: null })
    .where("kind = :kind AND job_id = :jobId AND owner = :owner", { kind, jobId, owner })
    .execute();
  return (result.affected ?? 0) > 0;
}

export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  return (
    code === "ER_DUP_ENTRY" ||
    code === "SQLITE_CONSTRAINT_UNIQUE" ||
    code === "SQLITE_CONSTRAINT_PRIMARYKEY"
  );
}
