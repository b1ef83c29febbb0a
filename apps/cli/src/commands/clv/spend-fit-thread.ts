import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import {
  ClvError,
  fitClvModels,
  fitClvModelsAlongside,
  type ClvErrorCode,
  type ClvModels,
  type GammaGammaFit,
  type SpendColumns,
  type SummaryColumns,
} from "@valuetier/domain";

/**
 * Input files from this size up have Gamma-Gamma fitted in a second thread while BG/NBD is
 * fitted on the main one: about 400,000 summary rows. The thread takes about 0.15 s to load the
 * domain package, on the other core while the file is read; below this size the read is too
 * short to hide that, and the spend fit too short to be worth it.
 */
export const SPEND_THREAD_MIN_BYTES = 16 * 1024 * 1024;

/** What the thread answers. */
type SpendAnswer =
  | { ok: true; fit: GammaGammaFit }
  | {
      ok: false;
      error: { name: string; code?: ClvErrorCode; message: string; location?: object };
    };

/**
 * The thread's code, plain CommonJS so that it runs the same under the compiled CLI and under
 * the tests (which load this module from its TypeScript source): it loads the compiled domain
 * package, fits once and answers.
 */
function workerSource(domainEntry: string): string {
  return `"use strict";
const { parentPort } = require("node:worker_threads");
const { fitGammaGamma } = require(${JSON.stringify(domainEntry)});
parentPort.once("message", (spend) => {
  let answer;
  try {
    answer = { ok: true, fit: fitGammaGamma(spend) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    answer = { ok: false, error: { name: e.name, code: e.code, message: e.message, location: e.location } };
  }
  parentPort.postMessage(answer);
});
`;
}

/**
 * A worker thread that fits Gamma-Gamma once. Created before the input is read, so that it
 * has loaded by the time the columns are ready; closed when the command is done with it.
 */
export class SpendFitThread {
  private readonly worker: Worker;
  /** Why the thread can no longer answer, once it cannot (it failed or stopped). */
  private ended: Error | null = null;

  /** @param domainEntry the compiled domain package the thread loads (tests name another). */
  constructor(domainEntry = createRequire(__filename).resolve("@valuetier/domain")) {
    this.worker = new Worker(workerSource(domainEntry), { eval: true });
    // Kept for a fit asked for later; until then a failure must not crash the command.
    this.worker.on("error", (error) => {
      this.ended ??= new Error(`the Gamma-Gamma fit thread failed: ${error.message}`);
    });
    this.worker.on("exit", (code) => {
      this.ended ??= new Error(
        `the Gamma-Gamma fit thread stopped (exit code ${code}) before answering`,
      );
    });
  }

  /** A thread for an input of `minBytes` or more; null for a smaller (or missing) file. */
  static forInput(path: string, minBytes = SPEND_THREAD_MIN_BYTES): SpendFitThread | null {
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return null; // the reader says what is wrong with the file
    }
    return size >= minBytes ? new SpendFitThread() : null;
  }

  /**
   * Fits Gamma-Gamma in the thread (the columns are copied to it). Rejects with the ClvError
   * fitGammaGamma threw there, code and all, or with an Error when the thread failed or
   * stopped, before or after this call.
   */
  fit(spend: Required<SpendColumns>): Promise<GammaGammaFit> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        this.worker.off("message", onMessage);
        this.worker.off("error", onEnd);
        this.worker.off("exit", onEnd);
      };
      const onMessage = (answer: SpendAnswer): void => {
        settle();
        if (answer.ok) resolve(answer.fit);
        else reject(toError(answer.error));
      };
      // Registered after the constructor's listeners, so `ended` says why.
      const onEnd = (): void => {
        settle();
        reject(this.ended!);
      };
      this.worker.on("message", onMessage);
      this.worker.on("error", onEnd);
      this.worker.on("exit", onEnd);
      this.worker.postMessage({ frequency: spend.frequency, monetary: spend.monetary });
    });
  }

  /** Stops the thread, whether or not it has answered. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

function toError(error: Extract<SpendAnswer, { ok: false }>["error"]): Error {
  if (error.name === "ClvError" && error.code !== undefined) {
    return new ClvError(error.code, error.message, error.location);
  }
  const plain = new Error(error.message);
  plain.name = error.name;
  return plain;
}

/** Fits BG/NBD and, where spend is given, Gamma-Gamma, as {@link fitClvModels} does. */
export type ClvModelsFitter = (columns: SummaryColumns) => Promise<ClvModels>;

/**
 * Runs a command's work with a CLV fitter: for a large input file the two models are fitted
 * side by side (Gamma-Gamma in a {@link SpendFitThread} started now, while the work reads the
 * file); for a small one both on this thread. The results are the same either way.
 *
 * @param input the input file, whose size decides.
 * @param work reads the input and fits with the fitter it is given.
 * @param minBytes the size from which a thread is used.
 */
export async function withClvModelsFitter<T>(
  input: string,
  work: (fit: ClvModelsFitter) => Promise<T>,
  minBytes = SPEND_THREAD_MIN_BYTES,
): Promise<T> {
  const thread = SpendFitThread.forInput(input, minBytes);
  if (thread === null) return work(async (columns) => fitClvModels(columns));
  try {
    return await work((columns) => fitClvModelsAlongside(columns, (spend) => thread.fit(spend)));
  } finally {
    await thread.close();
  }
}
