/**
 * Worker-thread side of {@link importCsvInWorker}: opens its own connection to the database,
 * runs ImportService.importCsv and relays errors, progress and the result to the parent.
 * Imports only what the import needs (no GraphQL server), so the worker stays small.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createDataSource } from "../../db/data-source";
import type { DataSource } from "typeorm";
import { ImportService, type OrdersImportedHook } from "./import.service";
import type { WorkerRequest, WorkerMessage } from "./import-in-worker";

async function backfillHook(
  dataSource: DataSource,
  request: WorkerRequest,
): Promise<OrdersImportedHook> {
  // Loaded only for a back-fill: the composition pulls in every service (about 0.6 s of start-up
  // on a busy machine) that a plain import does without.
  const { createServices } = await import("../../composition.js");
  const { loyalty } = createServices(dataSource, {
    defaultCurrency: request.service.currency,
    defaultMarginRate: request.defaultMarginRate,
  });
  return (manager, orders) => loyalty.earnForOrders(manager, orders, { clock: "placed_at" });
}

async function run(): Promise<void> {
  const request = workerData as WorkerRequest;
  const port = parentPort!;
  const send = (message: WorkerMessage) => port.postMessage(message);
  const controller = new AbortController();
  port.on("message", (message: { type: string }) => {
    if (message.type === "abort") controller.abort();
  });
  const dataSource = createDataSource(request.database);
  try {
    await dataSource.initialize();
    const service = new ImportService(dataSource, {
      ...request.service,
      // Back-filling points: the loyalty service as the API composes it (campaign boosts
      // included).
      onOrdersImported: request.csv.earnPoints
        ? await backfillHook(dataSource, request)
        : undefined,
    });
    const result = await service.importCsv({
      ...request.csv,
      signal: controller.signal,
      onError: request.wantErrors ? (error) => send({ type: "error", error }) : undefined,
      onProgress: (progress) => send({ type: "progress", progress }),
    });
    send({ type: "done", result });
  } catch (error) {
    const e = error as Error & { code?: string; file?: string };
    send({
      type: "failed",
      error: {
        name: e.name ?? "Error",
        message: e.message ?? String(error),
        code: e.code,
        file: e.file,
      },
    });
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    port.close();
  }
}

void run();
