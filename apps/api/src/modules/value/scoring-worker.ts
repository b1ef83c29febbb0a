/**
 * Worker-thread side of {@link executeScoringRun}: opens its own connection to the database and
 * executes one queued scoring run (SQL aggregates, model fits, per-customer scoring, the
 * snapshot writes), relaying progress to the parent and stopping when asked. Imports only what
 * scoring needs (no GraphQL server), so the worker starts quickly.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { parentPort, workerData } from "node:worker_threads";
import { createDataSource } from "../../db/data-source";
import { ScoringRunService } from "./scoring-run.service";
import type { ScoringWorkerMessage, ScoringWorkerRequest } from "./scoring-in-worker";

/**
 * Lowers this thread's CPU priority (Linux: a thread is a task with its own id, which
 * setpriority accepts), so that on a busy machine the API's event loop and the database get
 * the CPU first and reads stay quick, while the run still uses whatever is idle.
 */
function lowerPriority(nice: number): void {
  if (process.platform !== "linux" || nice <= 0) return;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isSafeInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // Not allowed or no /proc: the run goes at normal priority.
  }
}

async function run(): Promise<void> {
  const request = workerData as ScoringWorkerRequest;
  const port = parentPort!;
  const send = (message: ScoringWorkerMessage) => port.postMessage(message);
  lowerPriority(request.nice);
  const controller = new AbortController();
  port.on("message", (message: { type: string }) => {
    if (message.type === "abort") controller.abort();
  });
  const dataSource = createDataSource(request.database);
  // The parent process owns the schema (migrations, or SQLite's synchronize at start-up).
  dataSource.setOptions({ synchronize: false });
  try {
    await dataSource.initialize();
    const service = new ScoringRunService(dataSource, request.service);
    await service.execute(request.runId, {
      signal: controller.signal,
      pruneFailedRuns: request.pruneFailedRuns,
      onProgress: async (progress) => {
        send({ type: "progress", progress });
        if (request.testOnlyPauseAfterChunkMs > 0) await sleep(request.testOnlyPauseAfterChunkMs);
      },
    });
    send({ type: "done" });
  } catch (error) {
    const e = error as Error;
    send({
      type: "failed",
      error: { name: e.name ?? "Error", message: e.message ?? String(error) },
    });
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    port.close();
  }
}

void run();
