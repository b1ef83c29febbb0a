import { existsSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import type { DataSource } from "typeorm";
import { driverOf, type DataSourceOptions } from "../../db/data-source";
import {
  ScoringRunService,
  ScoringRunStoppedError,
  type ScoringProgress,
  type ScoringRunOptions,
  type ScoringServiceOptions,
} from "./scoring-run.service";

/** @internal Data the worker starts with. */
export interface ScoringWorkerRequest {
  database: Pick<DataSourceOptions, "databaseUrl" | "sqlitePath">;
  service: ScoringServiceOptions;
  runId: number;
  pruneFailedRuns: boolean;
  nice: number;
  testOnlyPauseAfterChunkMs: number;
}

/** @internal Messages from the worker. */
export type ScoringWorkerMessage =
  | { type: "progress"; progress: ScoringProgress }
  | { type: "done" }
  | { type: "failed"; error: { name: string; message: string } };

export interface ExecuteScoringOptions extends ScoringRunOptions {
  /**
   * Niceness of the worker thread (Linux), 0 to 19. Default 10: the API's event loop and the
   * database come first on a busy machine, the run takes the idle CPU.
   */
  nice?: number;
  /**
   * TESTS ONLY: a pause after every chunk, inside the run, so that an end-to-end test can watch
   * a small run's progress bar move. Never set outside tests.
   */
  testOnlyPauseAfterChunkMs?: number;
}

/**
 * What the worker thread runs: the compiled worker beside this module (the API, the CLI, the
 * demo and the benchmarks run the compiled package). Tests load the TypeScript sources, which a
 * worker thread cannot load by itself: there the worker registers TypeScript's own transpiler
 * for `.ts` files first and then loads the same worker source, so tests run the same worker.
 * Null for a database a second connection cannot open (an in-memory SQLite database).
 */
export function scoringWorkerEntry(
  dataSource: DataSource,
): { script: string; eval: boolean } | null {
  if (driverOf(dataSource) === "sqlite" && databaseOptions(dataSource).sqlitePath === ":memory:") {
    return null;
  }
  const compiled = path.join(__dirname, "scoring-worker.js");
  if (existsSync(compiled)) return { script: compiled, eval: false };
  const source = path.join(__dirname, "scoring-worker.ts");
  if (!existsSync(source)) return null;
  return { script: typeScriptLoader(source), eval: true };
}

/** Worker code that loads a TypeScript module through TypeScript's transpiler (tests only). */
function typeScriptLoader(source: string): string {
  return `
    const { createRequire } = require("node:module");
    const { readFileSync } = require("node:fs");
    const load = createRequire(${JSON.stringify(source)});
    const ts = load("typescript");
    const options = {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      esModuleInterop: true,
    };
    load.extensions[".ts"] = (module, filename) => {
      const { outputText } = ts.transpileModule(readFileSync(filename, "utf8"), {
        compilerOptions: options,
        fileName: filename,
      });
      module._compile(outputText, filename);
    };
    load(${JSON.stringify(source)});
  `;
}

function databaseOptions(dataSource: DataSource): ScoringWorkerRequest["database"] {
  const options = dataSource.options as { url?: string; database?: string | Uint8Array };
  if (driverOf(dataSource) === "mysql") return { databaseUrl: options.url };
  return { sqlitePath: typeof options.database === "string" ? options.database : ":memory:" };
}

/**
 * Executes a queued scoring run ({@link ScoringRunService.execute}) off this thread: in a
 * worker thread with its own database connection, so that the aggregates' parsing, the model
 * fits and the per-customer scoring never hold up the API's event loop. Progress, stopping
 * (`signal`) and failures come back as if the run executed here. On an in-memory SQLite
 * database (one connection only) the run executes in this thread instead.
 */
export async function executeScoringRun(
  dataSource: DataSource,
  service: ScoringServiceOptions,
  runId: number,
  options: ExecuteScoringOptions = {},
): Promise<void> {
  // The service options go to the worker by structured clone: one that is a function (a test's
  // controlled clock) cannot, and such a run executes here.
  const cloneable = Object.values(service).every((value) => typeof value !== "function");
  const entry = cloneable ? scoringWorkerEntry(dataSource) : null;
  if (!entry) {
    const pause = options.testOnlyPauseAfterChunkMs ?? 0;
    await new ScoringRunService(dataSource, service).execute(runId, {
      ...options,
      onProgress: async (progress) => {
        await options.onProgress?.(progress);
        if (pause > 0) await sleep(pause);
      },
    });
    return;
  }
  const request: ScoringWorkerRequest = {
    database: databaseOptions(dataSource),
    service,
    runId,
    pruneFailedRuns: options.pruneFailedRuns ?? true,
    nice: options.nice ?? 10,
    testOnlyPauseAfterChunkMs: options.testOnlyPauseAfterChunkMs ?? 0,
  };
  const { signal, onProgress } = options;
  await new Promise<void>((resolve, reject) => {
    const worker = new Worker(entry.script, { workerData: request, eval: entry.eval });
    let outcome: { done: true } | { error: Error } | null = null;
    const abort = () => worker.postMessage({ type: "abort" });
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort, { once: true });
    // Progress reports run one at a time, in order; one that throws stops the run.
    let reporting = Promise.resolve();
    worker.on("message", (message: ScoringWorkerMessage) => {
      if (message.type === "progress") {
        reporting = reporting
          .then(() => onProgress?.(message.progress))
          .catch((error: unknown) => {
            outcome ??= { error: error as Error };
            abort();
          });
      } else if (message.type === "done") {
        outcome ??= { done: true };
      } else {
        outcome ??= { error: revive(message.error) };
      }
    });
    worker.on("error", (error) => {
      outcome ??= { error };
    });
    worker.on("exit", (code) => {
      signal?.removeEventListener("abort", abort);
      void reporting.then(() => {
        if (outcome && "done" in outcome) resolve();
        else
          reject(outcome?.error ?? new Error(`the scoring worker stopped with exit code ${code}`));
      });
    });
  });
}

function revive(error: { name: string; message: string }): Error {
  if (error.name === "ScoringRunStoppedError") return new ScoringRunStoppedError(error.message);
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}
