/**
 * One timed import for `bench:import`, in a process of its own as `valuetier import` runs it, so
 * that its peak memory is that of one import and nothing else. Arguments: database URL,
 * customers.csv, orders.csv. Prints one JSON line: seconds, the time at which each phase ended,
 * the counts and the process's peak resident memory.
 */
import { importCsvInWorker, systemActor } from "@valuetier/api/app";
import { mb, runBench } from "./measure";

async function main(): Promise<void> {
  const [databaseUrl, customersFile, ordersFile] = process.argv.slice(2);
  if (!databaseUrl || !customersFile || !ordersFile) {
    throw new Error("usage: import-round DATABASE_URL CUSTOMERS_CSV ORDERS_CSV");
  }
  const phases: Record<string, number> = {};
  const started = performance.now();
  // The import as `valuetier import` runs it: full validation, in a worker thread with a
  // bounded heap, on its own connection.
  const result = await importCsvInWorker({
    database: { databaseUrl },
    // BENCH_LOCAL_INFILE=0: new orders as INSERT statements, as before LOAD DATA was used.
    service: { currency: "USD", localInfile: process.env.BENCH_LOCAL_INFILE !== "0" },
    maxHeapMb: process.env.BENCH_MAX_HEAP_MB ? Number(process.env.BENCH_MAX_HEAP_MB) : undefined,
    customersFile,
    ordersFile,
    actor: systemActor("bench"),
    onProgress: (p) => {
      phases[p.phase] = (performance.now() - started) / 1000;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    JSON.stringify({
      seconds,
      phases,
      customers: result.customers,
      orders: result.orders,
      errorCount: result.errorCount,
      firstError: result.errors[0] ?? null,
      peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    }) + "\n",
  );
}

runBench("bench:import round", main);
