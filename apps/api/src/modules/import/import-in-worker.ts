import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { DataSourceOptions } from "../../db/data-source";
import { ImportAbortedError, ImportFileError, type ImportFileErrorCode } from "./import-errors";
import type {
  CsvImportOptions,
  CsvImportResult,
  ImportProgress,
  ImportRowError,
  ImportServiceOptions,
} from "./import.service";

export interface WorkerImportOptions extends Omit<CsvImportOptions, "signal"> {
  /** Where to connect (the schema must be up to date: run migrations first, e.g. openDatabase). */
  database: Pick<DataSourceOptions, "databaseUrl" | "sqlitePath">;
  /** As for ImportService (without a clock: the worker uses the system clock). */
  service: Omit<ImportServiceOptions, "now" | "onNotice">;
  /** Stops the import before its next batch (see CsvImportOptions.signal). */
  signal?: AbortSignal;
  /**
   * With `earnPoints`: the margin rate of orders without a margin when the value settings have
   * none (AppConfig.defaultMarginRate). Default "0.3", as the server's.
   */
  defaultMarginRate?: string;
  /**
   * Old-generation heap limit of the worker, in MB. Default 1,024: enough for imports of a few
   * million customers, while the cap also makes V8 collect garbage more eagerly than in a main
   * thread with a multi-gigabyte default limit (see importCsvInWorker).
   */
  maxHeapMb?: number;
}

/** @internal Data the worker starts with. */
export interface WorkerRequest {
  database: WorkerImportOptions["database"];
  defaultMarginRate: string;
  service: WorkerImportOptions["service"];
  csv: Omit<CsvImportOptions, "signal" | "onError" | "onProgress">;
  wantErrors: boolean;
}

/** @internal Messages from the worker. */
export type WorkerMessage =
  | { type: "error"; error: ImportRowError }
  | { type: "progress"; progress: ImportProgress }
  | { type: "done"; result: CsvImportResult }
  | { type: "failed"; error: { name: string; message: string; code?: string; file?: string } };

/**
 * Runs {@link ImportService.importCsv} in a worker thread, with its own database connection,
 * and resolves to the same result. Errors, progress and failures (ImportFileError,
 * ImportAbortedError) come back as if the import ran here.
 *
 * Why a worker: an import streams millions of rows through short-lived objects, and in a main
 * thread V8 sizes the heap against a default limit of several gigabytes, growing it to four
 * times the live data between collections. With a bounded heap V8 collects earlier, so a
 * 1,000,000-order import peaks around 250 MB instead of 350 MB, at the same speed; and the
 * caller's thread stays free.
 *
 * Needs the compiled package (dist): the worker runs dist/modules/import/import-worker.js.
 */
export function importCsvInWorker(options: WorkerImportOptions): Promise<CsvImportResult> {
  const script = path.join(__dirname, "import-worker.js");
  if (!existsSync(script)) {
    return Promise.reject(
      new Error(`importCsvInWorker needs the compiled @valuetier/api (missing ${script})`),
    );
  }
  const { database, service, signal, maxHeapMb, onError, onProgress, defaultMarginRate, ...csv } =
    options;
  const request: WorkerRequest = {
    database,
    defaultMarginRate: defaultMarginRate ?? "0.3",
    service,
    csv,
    wantErrors: onError !== undefined,
  };
  return new Promise<CsvImportResult>((resolve, reject) => {
    const worker = new Worker(script, {
      workerData: request,
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb ?? 1024 },
    });
    let outcome: { result: CsvImportResult } | { error: Error } | null = null;
    const abort = () => worker.postMessage({ type: "abort" });
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort, { once: true });
    worker.on("message", (message: WorkerMessage) => {
      try {
        if (message.type === "error") onError?.(message.error);
        else if (message.type === "progress") onProgress?.(message.progress);
        else if (message.type === "done") outcome = { result: message.result };
        else outcome = { error: revive(message.error) };
      } catch (error) {
        outcome = { error: error as Error };
        abort();
      }
    });
    worker.on("error", (error) => {
      outcome ??= { error };
    });
    worker.on("exit", (code) => {
      signal?.removeEventListener("abort", abort);
      if (outcome && "result" in outcome) resolve(outcome.result);
      else reject(outcome?.error ?? new Error(`the import worker stopped with exit code ${code}`));
    });
  });
}

function revive(error: { name: string; message: string; code?: string; file?: string }): Error {
  if (error.name === "ImportFileError" && error.file !== undefined) {
    const prefix = `${error.file}: `;
    const message = error.message.startsWith(prefix)
      ? error.message.slice(prefix.length)
      : error.message;
    return new ImportFileError(error.code as ImportFileErrorCode, error.file, message);
  }
  if (error.name === "ImportAbortedError") return new ImportAbortedError();
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}
