import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database";
import { recordAudit, systemActor } from "../audit/audit.service";
import { JobLockEntity } from "./job-lock.entity";
import { JobScheduleEntity } from "./job-schedule.entity";
import { JobEntity } from "./job.entity";
import { JobBusyError, JobRunner, JobStoppedError, type JobContext } from "./job-runner";
import { JobScheduleService, scheduleTrigger, tickSchedules } from "./job-schedules";
import { JobTriggers } from "./job-triggers";

const actor = systemActor("test");
const quiet = { error: () => undefined };

/** A handler that runs until released, so that a test can look at a job under way. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const started: JobContext<unknown>[] = [];
  const handler = async (context: JobContext<unknown>) => {
    started.push(context);
    await opened;
    return { done: true };
  };
  return { handler, open, started };
}

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe("JobRunner (MySQL)", () => {
  let db: TestDatabase;
  const runners: JobRunner[] = [];
  const newRunner = (
    owner: string,
    options: { heartbeatMs?: number; staleAfterMs?: number } = {},
  ) => {
    const runner = new JobRunner(db.dataSource, { owner, log: quiet, ...options });
    runners.push(runner);
    return runner;
  };
  const job = (id: number) => db.dataSource.getRepository(JobEntity).findOneByOrFail({ id });

  beforeAll(async () => {
    db = await createTestDatabase("vt_jobs");
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await db.dataSource.query("DELETE FROM jobs");
    await db.dataSource.query("DELETE FROM job_locks");
    await db.dataSource.query("DELETE FROM job_schedules");
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("runs a job to the end and keeps it as history with its result", async () => {
    const runner = newRunner("a").register("echo", async (ctx: JobContext<{ n: number }>) => {
      await ctx.progress(0.5, "half way");
      return { twice: ctx.params.n * 2 };
    });
    const { job: done, result } = await runner.run("echo", { n: 21 }, actor);
    expect(result).toEqual({ twice: 42 });
    expect(done).toMatchObject({
      kind: "echo",
      status: "succeeded",
      progress: 1,
      requestedBy: "test",
    });
    expect(JSON.parse(done.resultJson!)).toEqual({ twice: 42 });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
    const lock = await db.dataSource.getRepository(JobLockEntity).findOneByOrFail({ kind: "echo" });
    expect(lock.jobId).toBeNull();
  });

  it("holds one job per kind across two runners with different owners", async () => {
    const first = gate();
    const a = newRunner("process-a").register("slow", first.handler);
    const later = gate();
    const b = newRunner("process-b").register("slow", later.handler);
    const started = await a.enqueue("slow", undefined, actor);
    expect(started.created).toBe(true);
    await until(() => first.started.length === 1, "the first job to start");

    const second = await b.enqueue("slow", undefined, systemActor("other"));
    expect(second).toMatchObject({ created: false });
    expect(second.job.id).toBe(started.job.id);
    await expect(b.run("slow", undefined, actor)).rejects.toBeInstanceOf(JobBusyError);
    // Refused attempts leave no history.
    expect(await db.dataSource.getRepository(JobEntity).count()).toBe(1);

    first.open();
    await a.settle();
    expect((await job(started.job.id)).status).toBe("succeeded");
    const third = await b.enqueue("slow", undefined, actor);
    expect(third.created).toBe(true);
    later.open();
    await b.settle();
  });

  it("lets only one of many racing enqueues start", async () => {
    const g = gate();
    const racers = [0, 1, 2, 3].map((i) => newRunner(`racer-${i}`).register("race", g.handler));
    const results = await Promise.all(racers.map((r) => r.enqueue("race", undefined, actor)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    g.open();
    await Promise.all(racers.map((r) => r.settle()));
  });

  it("takes over a stale lock and marks the dead job failed", async () => {
    const now = Date.now();
    // What a process killed mid-job leaves: a running job and its lock, heartbeats stopped.
    const dead = await db.dataSource.getRepository(JobEntity).save({
      kind: "nightly",
      status: "running",
      progress: 0.4,
      requestedBy: "schedule",
      owner: "gone-host 1 dead",
      heartbeatAt: new Date(now - 60_000),
      startedAt: new Date(now - 120_000),
      createdAt: new Date(now - 120_000),
    });
    await db.dataSource.getRepository(JobLockEntity).insert({
      kind: "nightly",
      jobId: dead.id,
      owner: "gone-host 1 dead",
      heartbeatAt: new Date(now - 60_000),
    });
    const abandoned: number[] = [];
    const runner = newRunner("b", { heartbeatMs: 1000, staleAfterMs: 10_000 }).register(
      "nightly",
      async () => "ok",
      { onAbandoned: async (id) => void abandoned.push(id) },
    );
    const { job: next, result } = await runner.run("nightly", undefined, actor);
    expect(result).toBe("ok");
    expect(next.status).toBe("succeeded");
    const marked = await job(dead.id);
    expect(marked.status).toBe("failed");
    expect(marked.error).toMatch(/^the process running it stopped/);
    expect(marked.finishedAt).not.toBeNull();
    expect(abandoned).toEqual([dead.id]);
  });

  it("does not take over a lock whose holder is still heartbeating", async () => {
    const g = gate();
    const a = newRunner("a", { heartbeatMs: 50, staleAfterMs: 300 }).register("beat", g.handler);
    const b = newRunner("b", { heartbeatMs: 50, staleAfterMs: 300 }).register("beat", g.handler);
    const started = await a.enqueue("beat", undefined, actor);
    await sleep(700); // well past the stale limit: only the heartbeat keeps the lock
    const second = await b.enqueue("beat", undefined, actor);
    expect(second).toMatchObject({ created: false, job: { id: started.job.id } });
    g.open();
    await a.settle();
  });

  it("recovers queued or running jobs whose heartbeat stopped, at start-up", async () => {
    const repo = db.dataSource.getRepository(JobEntity);
    const old = new Date(Date.now() - 3_600_000);
    const stale = await repo.save({
      kind: "k",
      status: "running",
      requestedBy: "x",
      owner: "gone",
      heartbeatAt: old,
      createdAt: old,
    });
    const fresh = await repo.save({
      kind: "k2",
      status: "running",
      requestedBy: "x",
      owner: "elsewhere",
      heartbeatAt: new Date(),
      createdAt: old,
    });
    await db.dataSource.getRepository(JobLockEntity).insert({
      kind: "k",
      jobId: stale.id,
      owner: "gone",
      heartbeatAt: old,
    });
    const runner = newRunner("c");
    expect(await runner.recover()).toEqual([stale.id]);
    expect((await job(stale.id)).status).toBe("failed");
    expect((await job(fresh.id)).status).toBe("running");
    const lock = await db.dataSource.getRepository(JobLockEntity).findOneByOrFail({ kind: "k" });
    expect(lock.jobId).toBeNull();
  });

  it("cancels a job running in another runner at its next progress report", async () => {
    const seen: string[] = [];
    const worker = newRunner("worker").register("loop", async (ctx) => {
      for (let i = 0; ; i++) {
        try {
          await ctx.progress(Math.min(0.99, i / 1000), `step ${i}`);
        } catch (error) {
          seen.push((error as JobStoppedError).reason);
          throw error;
        }
        await sleep(20);
      }
    });
    const other = newRunner("admin").register("loop", async () => undefined);
    const { job: started } = await worker.enqueue("loop", undefined, actor);
    await until(async () => (await job(started.id)).progress > 0, "progress");
    const asked = await other.cancel(started.id, systemActor("an admin"));
    expect(asked?.cancelRequested).toBe(1);
    await worker.settle();
    const ended = await job(started.id);
    expect(ended.status).toBe("cancelled");
    expect(ended.error).toBe(`loop job ${started.id} was cancelled by an admin`);
    expect(seen).toEqual(["cancelled"]);
    const lock = await db.dataSource.getRepository(JobLockEntity).findOneByOrFail({ kind: "loop" });
    expect(lock.jobId).toBeNull();
    // Cancelling a finished job changes nothing.
    expect((await other.cancel(started.id, actor))?.status).toBe("cancelled");
    expect(await other.cancel(999_999, actor)).toBeNull();
  });

  it("sees a cancel request at its heartbeat when the handler reports no progress", async () => {
    const runner = newRunner("w", { heartbeatMs: 30 }).register("quiet", async (ctx) => {
      await new Promise<void>((_, reject) =>
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)),
      );
    });
    const other = newRunner("o").register("quiet", async () => undefined);
    const { job: started } = await runner.enqueue("quiet", undefined, actor);
    await until(async () => (await job(started.id)).status === "running", "the job to run");
    await other.cancel(started.id, actor);
    await runner.settle();
    expect((await job(started.id)).status).toBe("cancelled");
  });

  it("records a job whose handler finished its work as succeeded, even if a cancel came after its last check", async () => {
    // The handler's work is done (committed) when the heartbeat notices the cancel; it returns
    // without looking again. The job must not say cancelled over work that happened.
    const runner = newRunner("w", { heartbeatMs: 30 }).register("late", async (ctx) => {
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
      return { written: true };
    });
    const other = newRunner("o").register("late", async () => undefined);
    const { job: started } = await runner.enqueue("late", undefined, actor);
    await until(async () => (await job(started.id)).status === "running", "the job to run");
    await other.cancel(started.id, actor);
    await runner.settle();
    expect(await job(started.id)).toMatchObject({
      status: "succeeded",
      resultJson: JSON.stringify({ written: true }),
    });
  });

  it("records progress and refuses a fraction outside 0 to 1", async () => {
    const g = gate();
    const runner = newRunner("p").register("steps", async (ctx) => {
      await ctx.progress(0.25, "a quarter");
      await expect(ctx.progress(1.5)).rejects.toThrow("job progress must be from 0 to 1, got 1.5");
      await g.handler(ctx);
    });
    const { job: started } = await runner.enqueue("steps", undefined, actor);
    await until(() => g.started.length === 1, "the handler");
    expect(await job(started.id)).toMatchObject({ progress: 0.25, progressMessage: "a quarter" });
    g.open();
    await runner.settle();
  });

  it("records a handler's failure and frees the lock", async () => {
    const runner = newRunner("f").register("boom", async () => {
      throw new Error("the disk is full");
    });
    await expect(runner.run("boom", undefined, actor)).rejects.toThrow("the disk is full");
    const [failed] = await db.dataSource.getRepository(JobEntity).findBy({ kind: "boom" });
    expect(failed).toMatchObject({ status: "failed", error: "the disk is full" });
    expect(await runner.run("boom", undefined, actor).catch((e: Error) => e.message)).toBe(
      "the disk is full",
    );
  });

  it("refuses a kind nobody registered", async () => {
    await expect(newRunner("x").enqueue("nothing", undefined, actor)).rejects.toThrow(
      'no handler is registered for job kind "nothing"',
    );
  });

  it("starts a due daily schedule once, even with two schedulers ticking at the same time", async () => {
    const counts = { runs: 0 };
    const handler = async () => void counts.runs++;
    const a = newRunner("sched-a").register("nightly", handler);
    const b = newRunner("sched-b").register("nightly", handler);
    const schedules = new JobScheduleService(db.dataSource);
    const set = await schedules.update(
      "nightly",
      { mode: "daily", timeOfDay: "02:00", timeZone: "Asia/Taipei", enabled: true },
      actor,
      new Date("2026-03-01T00:00:00Z"),
    );
    expect(set).toMatchObject({ nextRunAt: new Date("2026-03-01T18:00:00Z") });
    const now = new Date("2026-03-01T18:00:30Z");
    const [fromA, fromB] = await Promise.all([
      tickSchedules(db.dataSource, a, { now }),
      tickSchedules(db.dataSource, b, { now }),
    ]);
    expect(fromA.length + fromB.length).toBe(1);
    await Promise.all([a.settle(), b.settle()]);
    expect(counts.runs).toBe(1);
    const row = await db.dataSource
      .getRepository(JobScheduleEntity)
      .findOneByOrFail({ kind: "nightly" });
    expect(row.nextRunAt).toEqual(new Date("2026-03-02T18:00:00Z"));
    expect(row.lastJobId).toBe([...fromA, ...fromB][0]!.id);
    // The same tick again: nothing is due.
    expect(await tickSchedules(db.dataSource, a, { now })).toEqual([]);
  });

  it("starts an after-import schedule once the import has settled, and once only", async () => {
    const a = newRunner("imp").register("rescore", async () => "scored");
    const schedules = new JobScheduleService(db.dataSource);
    await schedules.update(
      "rescore",
      { mode: "after_import", timeOfDay: "02:00", timeZone: "UTC", enabled: true },
      actor,
    );
    expect(await tickSchedules(db.dataSource, a)).toEqual([]);
    await recordAudit(db.dataSource.manager, systemActor("cli"), {
      action: "import.csv",
      entityType: "import",
    });
    // Too fresh: the import may still be writing.
    expect(await tickSchedules(db.dataSource, a, { importSettleMs: 60_000 })).toEqual([]);
    const later = new Date(Date.now() + 61_000);
    const started = await tickSchedules(db.dataSource, a, { now: later });
    expect(started).toHaveLength(1);
    await a.settle();
    expect(await tickSchedules(db.dataSource, a, { now: later })).toEqual([]);
  });

  it("ticks on its own: recovers a dead job and starts a due schedule", async () => {
    const old = new Date(Date.now() - 3_600_000);
    const dead = await db.dataSource.getRepository(JobEntity).save({
      kind: "left",
      status: "running",
      requestedBy: "x",
      owner: "gone",
      heartbeatAt: old,
      createdAt: old,
    });
    const started: number[] = [];
    const runner = newRunner("ticker").register(
      "tick",
      async (ctx) => void started.push(ctx.jobId),
    );
    await new JobScheduleService(db.dataSource).update(
      "tick",
      { mode: "daily", timeOfDay: "00:00", timeZone: "UTC", enabled: true },
      actor,
      new Date(Date.now() - 2 * 86_400_000),
    );
    const triggers = new JobTriggers(quiet);
    triggers.add(scheduleTrigger(db.dataSource, runner, 20));
    try {
      await until(() => started.length === 1, "the scheduled job");
      await until(async () => (await job(dead.id)).status === "failed", "the dead job's recovery");
    } finally {
      triggers.stop();
    }
  });

  it("says which schedule field is wrong", async () => {
    const result = await new JobScheduleService(db.dataSource).update(
      "nightly",
      { mode: "daily", timeOfDay: "25:00", timeZone: "Mars/Olympus", enabled: true },
      actor,
    );
    expect(result).toEqual([
      {
        field: "timeOfDay",
        code: "INVALID",
        message: 'timeOfDay must be HH:MM from 00:00 to 23:59, got "25:00"',
      },
      {
        field: "timeZone",
        code: "INVALID",
        message:
          'timeZone must be an IANA time zone such as Asia/Taipei or UTC, got "Mars/Olympus"',
      },
    ]);
  });
});
