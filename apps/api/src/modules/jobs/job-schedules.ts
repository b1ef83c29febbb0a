import type { DataSource } from "typeorm";
import { runInTransaction } from "../../db/transaction";
import { AuditEntryEntity } from "../audit/audit-entry.entity";
import { recordAudit, systemActor, type Actor } from "../audit/audit.service";
import type { JobEntity } from "./job.entity";
import type { JobRunner } from "./job-runner";
import type { JobTrigger } from "./job-triggers";
import { JobScheduleEntity, type JobScheduleMode } from "./job-schedule.entity";
import { isKnownTimeZone, nextDailyRun } from "./next-daily-run";

export interface JobScheduleInput {
  mode: JobScheduleMode;
  /** "HH:MM" for daily. */
  timeOfDay: string;
  /** IANA zone for daily. */
  timeZone: string;
  enabled: boolean;
}

export interface ScheduleInputError {
  field: string;
  code: "INVALID";
  message: string;
}

/** Audit entries that mean customers or orders were written by an import or the API. */
const IMPORT_ENTITY_TYPES = ["customer", "order", "import"];

/** A job kind's schedule: read, change (validated, audited), and what is due. */
export class JobScheduleService {
  constructor(private readonly dataSource: DataSource) {}

  get(kind: string): Promise<JobScheduleEntity | null> {
    return this.dataSource.getRepository(JobScheduleEntity).findOneBy({ kind });
  }

  /** Sets a kind's schedule; bad input comes back as errors naming the field. */
  async update(
    kind: string,
    input: JobScheduleInput,
    actor: Actor,
    now = new Date(),
  ): Promise<JobScheduleEntity | ScheduleInputError[]> {
    const errors: ScheduleInputError[] = [];
    if (input.mode !== "daily" && input.mode !== "after_import") {
      errors.push({
        field: "mode",
        code: "INVALID",
        message: `mode must be daily or after_import, got "${input.mode}"`,
      });
    }
    if (!/^([01]\d|2[0-3]):([0-5]\d)$/.test(input.timeOfDay)) {
      errors.push({
        field: "timeOfDay",
        code: "INVALID",
        message: `timeOfDay must be HH:MM from 00:00 to 23:59, got "${input.timeOfDay.slice(0, 40)}"`,
      });
    }
    if (input.timeZone.length > 64 || !isKnownTimeZone(input.timeZone)) {
      errors.push({
        field: "timeZone",
        code: "INVALID",
        message: `timeZone must be an IANA time zone such as Asia/Taipei or UTC, got "${input.timeZone.slice(0, 64)}"`,
      });
    }
    if (errors.length > 0) return errors;
    const latestImport = await latestImportAuditId(this.dataSource);
    return runInTransaction(this.dataSource, async (manager) => {
      const repository = manager.getRepository(JobScheduleEntity);
      const before = await repository.findOneBy({ kind });
      const schedule = repository.create({
        kind,
        mode: input.mode,
        timeOfDay: input.timeOfDay,
        timeZone: input.timeZone,
        enabled: input.enabled ? 1 : 0,
        nextRunAt:
          input.enabled && input.mode === "daily"
            ? nextDailyRun(now, input.timeOfDay, input.timeZone)
            : null,
        lastJobId: before?.lastJobId ?? null,
        // Imports before the schedule was set are not news to it.
        lastImportAuditId: latestImport,
        updatedAt: now,
        updatedBy: actor.label.slice(0, 254),
      });
      await repository.save(schedule);
      await recordAudit(manager, actor, {
        action: "job.schedule.update",
        entityType: "job_schedule",
        before: before
          ? {
              mode: before.mode,
              timeOfDay: before.timeOfDay,
              timeZone: before.timeZone,
              enabled: before.enabled === 1,
            }
          : null,
        after: { kind, ...input },
      });
      return schedule;
    });
  }
}

async function latestImportAuditId(dataSource: DataSource): Promise<number> {
  let latest = 0;
  for (const type of IMPORT_ENTITY_TYPES) {
    const [row] = await dataSource.query(
      "SELECT MAX(id) AS id FROM audit_log WHERE entity_type = ?",
      [type],
    );
    latest = Math.max(latest, Number(row?.id ?? 0));
  }
  return latest;
}

export interface TickOptions {
  now?: Date;
  /** An import counts as finished once its last audit entry is this old, in ms. Default 60 s. */
  importSettleMs?: number;
}

/**
 * Starts the scheduled jobs that are due, and returns them. Safe with any number of schedulers
 * ticking at once, in any processes: each due occurrence is claimed by one conditional UPDATE
 * of the schedule row (next_run_at moved on, or the import answered), so it starts once; and the
 * job lock keeps a second job of the kind from starting beside a running one.
 */
export async function tickSchedules(
  dataSource: DataSource,
  runner: JobRunner,
  options: TickOptions = {},
): Promise<JobEntity[]> {
  const now = options.now ?? new Date();
  const settleMs = options.importSettleMs ?? 60_000;
  const schedules = await dataSource.getRepository(JobScheduleEntity).findBy({ enabled: 1 });
  const started: JobEntity[] = [];
  let latestImport: { id: number; at: Date } | null | undefined;
  for (const schedule of schedules) {
    if (!runner.handles(schedule.kind)) continue;
    const claim = dataSource
      .createQueryBuilder()
      .update(JobScheduleEntity)
      .where("kind = :kind AND enabled = 1", { kind: schedule.kind });
    if (schedule.mode === "daily") {
      if (!schedule.nextRunAt || schedule.nextRunAt > now) continue;
      const next = nextDailyRun(now, schedule.timeOfDay, schedule.timeZone);
      const claimed = await claim
        .set({ nextRunAt: next })
        .andWhere("next_run_at <= :now", { now })
        .execute();
      if ((claimed.affected ?? 0) === 0) continue;
    } else {
      // A run under way may have started before the import ended: wait for it, then decide.
      if (await runner.active(schedule.kind)) continue;
      if (latestImport === undefined) latestImport = await latestImportEntry(dataSource);
      if (!latestImport || latestImport.id <= (schedule.lastImportAuditId ?? 0)) continue;
      if (now.getTime() - latestImport.at.getTime() < settleMs) continue;
      const claimed = await claim
        .set({ lastImportAuditId: latestImport.id })
        .andWhere("(last_import_audit_id IS NULL OR last_import_audit_id < :id)", {
          id: latestImport.id,
        })
        .execute();
      if ((claimed.affected ?? 0) === 0) continue;
    }
    const { job } = await runner.enqueue(schedule.kind, undefined, systemActor("schedule"));
    await dataSource
      .createQueryBuilder()
      .update(JobScheduleEntity)
      .set({ lastJobId: job.id })
      .where("kind = :kind", { kind: schedule.kind })
      .execute();
    started.push(job);
  }
  return started;
}

async function latestImportEntry(dataSource: DataSource): Promise<{ id: number; at: Date } | null> {
  const id = await latestImportAuditId(dataSource);
  if (id === 0) return null;
  const entry = await dataSource.getRepository(AuditEntryEntity).findOneBy({ id });
  return entry ? { id, at: entry.createdAt } : null;
}

/**
 * The trigger that, every `everyMs` (default 30 s), recovers the jobs of stopped processes (so
 * their rows stop showing "running" even when no job of their kind is asked for) and then
 * starts the schedules that are due.
 */
export function scheduleTrigger(
  dataSource: DataSource,
  runner: JobRunner,
  everyMs = 30_000,
): JobTrigger {
  return {
    name: "job scheduler",
    everyMs,
    fire: async () => {
      await runner.recover();
      await tickSchedules(dataSource, runner);
    },
  };
}
