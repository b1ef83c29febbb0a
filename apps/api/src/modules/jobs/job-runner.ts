import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { DataSource } from "typeorm";
import { runInTransaction } from "../../db/transaction";
import { recordAudit, type Actor } from "../audit/audit.service";
import { acquireJobLock, releaseJobLock, touchJobLock } from "./job-lock";
import { JobLockEntity } from "./job-lock.entity";
import { JobEntity, type JobStatus } from "./job.entity";

/** What a job's handler gets. */
export interface JobContext<P> {
  jobId: number;
  params: P;
  /**
   * Aborted when the job is cancelled, taken over by another process, or this process shuts
   * down; `signal.reason` is then a {@link JobStoppedError}. Handlers stop at their next check.
   */
  signal: AbortSignal;
  /**
   * Records progress (0 to 1) and a message on the job row, and is where a cancel request is
   * seen: it throws the JobStoppedError once the job was cancelled or taken over.
   */
  progress(fraction: number, message?: string): Promise<void>;
  /** Touches the heartbeat now (the runner also does so on a timer); throws like progress. */
  heartbeat(): Promise<void>;
}

export type JobHandler<P = unknown, R = unknown> = (context: JobContext<P>) => Promise<R>;

export interface JobKindOptions {
  /**
   * Called once a job of this kind holds the lock, before it is reported to the caller and
   * before its handler starts: for rows the caller should see at once (the scoring run). When
   * it throws, the job is recorded failed and the error rethrown to the caller.
   */
  onQueued?: (job: JobEntity, params: unknown) => Promise<void>;
  /**
   * Called after a job of this kind was marked failed because its process stopped (recovery or
   * a stale lock taken over), to tidy what the handler leaves behind, e.g. its own run rows.
   */
  onAbandoned?: (jobId: number) => Promise<void>;
  /**
   * Called after a job of this kind ended failed or cancelled in this process, whether or not
   * its handler got to run (a job cancelled while queued never does), to tidy its rows.
   */
  onStopped?: (jobId: number, error: string) => Promise<void>;
}

export interface JobRunnerOptions {
  /** How often a running job touches its lock and row, in ms. Default 5,000. */
  heartbeatMs?: number;
  /**
   * A lock or queued/running job whose heartbeat is older than this belongs to a process that
   * stopped. Default 6 heartbeats: long enough for a busy database or a GC pause.
   */
  staleAfterMs?: number;
  /** Identifies this runner in locks and job rows; default "host pid random". */
  owner?: string;
  log?: Pick<Console, "error">;
}

export type JobStopReason = "cancelled" | "stopped" | "lost";

/**
 * Why a job stopped before its handler finished: `cancelled` (someone asked: status
 * cancelled), `stopped` (this process is shutting down: status failed) or `lost` (another
 * process took the job over after its heartbeat went stale and marked it failed: nothing more
 * is written).
 */
export class JobStoppedError extends Error {
  override readonly name = "JobStoppedError";
  constructor(
    readonly reason: JobStopReason,
    message: string,
  ) {
    super(message);
  }
}

/** A job of this kind is already queued or running, here or in another process. */
export class JobBusyError extends Error {
  override readonly name = "JobBusyError";
  constructor(readonly activeJob: JobEntity) {
    super(
      `${activeJob.kind} job ${activeJob.id} is already ${activeJob.status} (requested by ${activeJob.requestedBy}); wait for it to finish`,
    );
  }
}

const ACTIVE: JobStatus[] = ["queued", "running"];

interface Registered {
  handler: JobHandler<never, unknown>;
  options: JobKindOptions;
}

interface Running {
  job: JobEntity;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The one runner of long work (scoring; point expiry and campaigns next). Per job kind at most
 * one job is queued or running across every process sharing the database: the kind's row in
 * `job_locks` is taken with conditional statements (see acquireJobLock). While a job runs its
 * process touches the lock and the job row every heartbeat; a lock whose heartbeat stopped is
 * taken over by the next process that wants it, and its job marked failed. The job rows are the
 * history.
 */
export class JobRunner {
  readonly owner: string;
  readonly heartbeatMs: number;
  readonly staleAfterMs: number;
  private readonly log: Pick<Console, "error">;
  private readonly kinds = new Map<string, Registered>();
  private readonly running = new Map<number, Running>();

  constructor(
    private readonly dataSource: DataSource,
    options: JobRunnerOptions = {},
  ) {
    this.owner = (
      options.owner ?? `${hostname()} ${process.pid} ${randomBytes(4).toString("hex")}`
    ).slice(0, 255);
    this.heartbeatMs = options.heartbeatMs ?? 5000;
    this.staleAfterMs = options.staleAfterMs ?? 6 * this.heartbeatMs;
    this.log = options.log ?? console;
  }

  private get jobs() {
    return this.dataSource.getRepository(JobEntity);
  }

  /** Registers the handler of a job kind (once per kind). */
  register<P, R>(kind: string, handler: JobHandler<P, R>, options: JobKindOptions = {}): this {
    if (this.kinds.has(kind)) throw new Error(`job kind "${kind}" is already registered`);
    this.kinds.set(kind, { handler: handler as JobHandler<never, unknown>, options });
    return this;
  }

  /** Whether this runner has a handler for `kind`. */
  handles(kind: string): boolean {
    return this.kinds.has(kind);
  }

  /**
   * Starts a job in the background of this process and returns it at once; when a job of the
   * kind is already queued or running anywhere, returns that one (`created: false`) instead.
   * The outcome is recorded on the job row, never thrown at the caller.
   */
  async enqueue<P>(
    kind: string,
    params: P,
    actor: Actor,
  ): Promise<{ job: JobEntity; created: boolean }> {
    const claimed = await this.claim(kind, params, actor);
    if (!claimed.created) return claimed;
    const controller = new AbortController();
    const entry: Running = {
      job: claimed.job,
      controller,
      // Started on a later turn, so that the caller has its answer before the work begins.
      done: new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.execute(claimed.job, controller))
        .then(() => undefined)
        .finally(() => this.running.delete(claimed.job.id)),
    };
    this.running.set(claimed.job.id, entry);
    return claimed;
  }

  /**
   * Runs a job in the foreground (the CLI) and returns its result; the lock is the same as for
   * background jobs, so this refuses while another process runs one.
   *
   * @throws {JobBusyError} when a job of the kind is queued or running.
   * @throws {JobStoppedError} when it was cancelled (`signal` too) or taken over.
   * @throws whatever the handler threw, after recording it on the job.
   */
  async run<P, R>(
    kind: string,
    params: P,
    actor: Actor,
    options: { signal?: AbortSignal } = {},
  ): Promise<{ job: JobEntity; result: R }> {
    const claimed = await this.claim(kind, params, actor);
    if (!claimed.created) throw new JobBusyError(claimed.job);
    const controller = new AbortController();
    const stop = () =>
      controller.abort(
        new JobStoppedError(
          "cancelled",
          `${kind} job ${claimed.job.id} was cancelled by ${actor.label}`,
        ),
      );
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener("abort", stop, { once: true });
    const entry: Running = { job: claimed.job, controller, done: Promise.resolve() };
    this.running.set(claimed.job.id, entry);
    try {
      const outcome = await this.execute(claimed.job, controller);
      if ("error" in outcome) throw outcome.error;
      return { job: outcome.job, result: outcome.result as R };
    } finally {
      options.signal?.removeEventListener("abort", stop);
      this.running.delete(claimed.job.id);
    }
  }

  /**
   * Asks a queued or running job to stop: a flag on its row that the process running it sees
   * at its next heartbeat or progress report (at once when it is this process). Returns the
   * job (unchanged when it had already finished), or null when there is none with that id.
   */
  async cancel(jobId: number, actor: Actor): Promise<JobEntity | null> {
    const asked = await runInTransaction(this.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(JobEntity)
        .set({ cancelRequested: 1, cancelledBy: actor.label.slice(0, 254) })
        .where("id = :jobId AND status IN (:...active) AND cancel_requested = 0", {
          jobId,
          active: ACTIVE,
        })
        .execute();
      if ((result.affected ?? 0) === 0) return false;
      await recordAudit(manager, actor, {
        action: "job.cancel",
        entityType: "job",
        entityId: jobId,
      });
      return true;
    });
    const local = this.running.get(jobId);
    if (asked && local && !local.controller.signal.aborted) {
      local.controller.abort(
        new JobStoppedError(
          "cancelled",
          `${local.job.kind} job ${jobId} was cancelled by ${actor.label}`,
        ),
      );
    }
    return this.jobs.findOneBy({ id: jobId });
  }

  /** The queued or running job of a kind, if any. */
  async active(kind: string): Promise<JobEntity | null> {
    const lock = await this.dataSource.getRepository(JobLockEntity).findOneBy({ kind });
    if (!lock?.jobId) return null;
    const job = await this.jobs.findOneBy({ id: lock.jobId });
    return job && ACTIVE.includes(job.status) ? job : null;
  }

  /**
   * Marks failed the jobs whose process stopped: queued or running with a heartbeat older than
   * the stale limit (their lock freed if they still hold it), and tells their kind. Run at
   * start-up; any process may run it at any time. Returns the ids.
   */
  async recover(): Promise<number[]> {
    const staleBefore = new Date(Date.now() - this.staleAfterMs);
    const candidates = await this.jobs
      .createQueryBuilder("job")
      .where("job.status IN (:...active)", { active: ACTIVE })
      .andWhere("(job.heartbeat_at IS NULL OR job.heartbeat_at < :staleBefore)", { staleBefore })
      .getMany();
    const recovered: number[] = [];
    for (const job of candidates) {
      if (this.running.has(job.id)) continue;
      if (await this.markAbandoned(job, staleBefore)) recovered.push(job.id);
    }
    return recovered;
  }

  /** Stops this process's jobs (marked failed: "stopped") and waits for them; for shutdown. */
  async stop(): Promise<void> {
    for (const { job, controller } of this.running.values()) {
      if (!controller.signal.aborted) {
        controller.abort(
          new JobStoppedError(
            "stopped",
            `${job.kind} job ${job.id} stopped: its process shut down`,
          ),
        );
      }
    }
    await this.settle();
  }

  /** Waits for this process's background jobs to end (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.running.values()].map((entry) => entry.done));
  }

  /** Ids of the jobs this process is executing. */
  runningHere(): number[] {
    return [...this.running.keys()];
  }

  /** Inserts a queued job and takes the kind's lock for it, or answers the job holding it. */
  private async claim<P>(
    kind: string,
    params: P,
    actor: Actor,
  ): Promise<{ job: JobEntity; created: boolean }> {
    if (!this.kinds.has(kind)) throw new Error(`no handler is registered for job kind "${kind}"`);
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = new Date();
      const job = this.jobs.create({
        kind,
        status: "queued",
        progress: 0,
        progressMessage: null,
        paramsJson: params === undefined ? null : JSON.stringify(params),
        resultJson: null,
        error: null,
        requestedBy: actor.label.slice(0, 254),
        cancelRequested: 0,
        cancelledBy: null,
        attempt: 1,
        owner: this.owner,
        heartbeatAt: now,
        startedAt: null,
        finishedAt: null,
        createdAt: now,
      });
      await this.jobs.insert(job);
      const lock = await acquireJobLock(
        this.dataSource,
        kind,
        job.id,
        this.owner,
        now,
        new Date(now.getTime() - this.staleAfterMs),
      );
      if (lock.acquired) {
        if (lock.tookOver !== null) {
          const dead = await this.jobs.findOneBy({ id: lock.tookOver });
          if (dead) await this.markAbandoned(dead, null);
        }
        const onQueued = this.kinds.get(kind)!.options.onQueued;
        if (onQueued) {
          try {
            await onQueued(job, params);
          } catch (error) {
            await this.finish(job, { status: "failed", error: messageOf(error) });
            throw error;
          }
        }
        return { job, created: true };
      }
      // Never ran: it leaves no history.
      await this.jobs.delete({ id: job.id });
      const holder = await this.jobs.findOneBy({ id: lock.holderJobId });
      if (holder && ACTIVE.includes(holder.status)) return { job: holder, created: false };
    }
    throw new Error(`could not start a ${kind} job: its lock stayed taken by finished jobs`);
  }

  /**
   * Marks a job failed because its process stopped, freeing its lock if it still holds it
   * (only while that lock is stale, when `staleBefore` is given). False when it was not active.
   */
  private async markAbandoned(job: JobEntity, staleBefore: Date | null): Promise<boolean> {
    const now = new Date();
    const since = job.heartbeatAt ? ` (no heartbeat since ${job.heartbeatAt.toISOString()})` : "";
    const marked = await runInTransaction(this.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(JobEntity)
        .set({
          status: "failed",
          error: `the process running it stopped${since}`,
          finishedAt: now,
        })
        .where("id = :id AND status IN (:...active)", { id: job.id, active: ACTIVE })
        .execute();
      if ((result.affected ?? 0) === 0) return false;
      const free = manager
        .createQueryBuilder()
        .update(JobLockEntity)
        .set({ jobId: null, owner: "", heartbeatAt: null })
        .where("kind = :kind AND job_id = :jobId", { kind: job.kind, jobId: job.id });
      if (staleBefore) {
        free.andWhere("(heartbeat_at IS NULL OR heartbeat_at < :staleBefore)", { staleBefore });
      }
      await free.execute();
      return true;
    });
    if (marked) {
      this.log.error(
        `${job.kind} job ${job.id} was left unfinished by a stopped process: marked failed`,
      );
      await this.kinds
        .get(job.kind)
        ?.options.onAbandoned?.(job.id)
        .catch((error: unknown) =>
          this.log.error(`tidying ${job.kind} job ${job.id} failed: ${messageOf(error)}`),
        );
    }
    return marked;
  }

  private async execute(
    job: JobEntity,
    controller: AbortController,
  ): Promise<{ job: JobEntity; result: unknown } | { job: JobEntity; error: unknown }> {
    const { signal } = controller;
    const registered = this.kinds.get(job.kind)!;
    const stopWith = async (): Promise<JobStoppedError> => {
      const row = await this.jobs.findOneBy({ id: job.id });
      const error = row?.cancelRequested
        ? new JobStoppedError(
            "cancelled",
            `${job.kind} job ${job.id} was cancelled by ${row.cancelledBy}`,
          )
        : new JobStoppedError(
            "lost",
            `${job.kind} job ${job.id} was marked ${row?.status ?? "deleted"} by another process`,
          );
      if (!signal.aborted) controller.abort(error);
      return signal.reason as JobStoppedError;
    };
    const beat = async () => {
      if (signal.aborted) throw signal.reason;
      const now = new Date();
      if (!(await touchJobLock(this.dataSource, job.kind, job.id, this.owner, now))) {
        throw await stopWith();
      }
      const alive = await this.jobs
        .createQueryBuilder()
        .update(JobEntity)
        .set({ heartbeatAt: now })
        .where("id = :id AND owner = :owner AND status IN (:...active) AND cancel_requested = 0", {
          id: job.id,
          owner: this.owner,
          active: ACTIVE,
        })
        .execute();
      if ((alive.affected ?? 0) === 0) throw await stopWith();
    };
    const timer = setInterval(() => {
      beat().catch((error: unknown) => {
        if (!(error instanceof JobStoppedError)) {
          this.log.error(`${job.kind} job ${job.id}: heartbeat failed: ${messageOf(error)}`);
        }
      });
    }, this.heartbeatMs);
    timer.unref();
    try {
      const started = new Date();
      const claimed = await this.jobs
        .createQueryBuilder()
        .update(JobEntity)
        .set({ status: "running", startedAt: started, heartbeatAt: started })
        .where("id = :id AND owner = :owner AND status = 'queued' AND cancel_requested = 0", {
          id: job.id,
          owner: this.owner,
        })
        .execute();
      if ((claimed.affected ?? 0) === 0) throw await stopWith();
      const context: JobContext<unknown> = {
        jobId: job.id,
        params: job.paramsJson === null ? undefined : JSON.parse(job.paramsJson),
        signal,
        heartbeat: beat,
        progress: async (fraction, message) => {
          if (!(fraction >= 0 && fraction <= 1)) {
            throw new RangeError(`job progress must be from 0 to 1, got ${fraction}`);
          }
          if (signal.aborted) throw signal.reason;
          const result = await this.jobs
            .createQueryBuilder()
            .update(JobEntity)
            .set({
              progress: fraction,
              progressMessage: message?.slice(0, 500) ?? null,
              heartbeatAt: new Date(),
            })
            .where("id = :id AND owner = :owner AND status = 'running' AND cancel_requested = 0", {
              id: job.id,
              owner: this.owner,
            })
            .execute();
          if ((result.affected ?? 0) === 0) throw await stopWith();
        },
      };
      const result = await registered.handler(context as JobContext<never>);
      // The handler did its work: a cancel (or shutdown) noticed by a heartbeat after its last
      // check is too late to undo it (a scoring run has committed), so the job succeeded. Only
      // a job another process has taken over is not this process's to record.
      if (
        signal.aborted &&
        signal.reason instanceof JobStoppedError &&
        signal.reason.reason === "lost"
      ) {
        throw signal.reason;
      }
      return { job: await this.finish(job, { status: "succeeded", result }), result };
    } catch (thrown) {
      const error: unknown = signal.aborted ? signal.reason : thrown;
      if (error instanceof JobStoppedError && error.reason === "lost") {
        this.log.error(error.message);
        return { job: (await this.jobs.findOneBy({ id: job.id })) ?? job, error };
      }
      const status =
        error instanceof JobStoppedError && error.reason === "cancelled" ? "cancelled" : "failed";
      if (status === "failed" && !(error instanceof JobStoppedError)) {
        this.log.error(`${job.kind} job ${job.id} failed: ${messageOf(error)}`);
      }
      const finished = await this.finish(job, { status, error: messageOf(error) }).catch(
        (finishError: unknown) => {
          this.log.error(
            `${job.kind} job ${job.id}: recording its end failed: ${messageOf(finishError)}`,
          );
          return job;
        },
      );
      await registered.options
        .onStopped?.(job.id, messageOf(error))
        .catch((tidyError: unknown) =>
          this.log.error(`tidying ${job.kind} job ${job.id} failed: ${messageOf(tidyError)}`),
        );
      return { job: finished, error };
    } finally {
      clearInterval(timer);
    }
  }

  /** Records a job's end and frees its lock, in one transaction. */
  private async finish(
    job: JobEntity,
    end: { status: JobStatus; result?: unknown; error?: string },
  ): Promise<JobEntity> {
    const now = new Date();
    await runInTransaction(this.dataSource, async (manager) => {
      await manager
        .createQueryBuilder()
        .update(JobEntity)
        .set({
          status: end.status,
          ...(end.status === "succeeded" ? { progress: 1 } : {}),
          resultJson: end.result === undefined ? null : JSON.stringify(end.result),
          error: end.error?.slice(0, 4000) ?? null,
          finishedAt: now,
          heartbeatAt: now,
        })
        .where("id = :id AND owner = :owner AND status IN (:...active)", {
          id: job.id,
          owner: this.owner,
          active: ACTIVE,
        })
        .execute();
      await releaseJobLock(manager, job.kind, job.id, this.owner);
    });
    return this.jobs.findOneByOrFail({ id: job.id });
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
