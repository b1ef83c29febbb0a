/**
 * Import benchmark (`npm run bench:import`): generates 100,000 customers and their ~1,000,000
 * orders, imports them into a fresh MySQL database with full validation, then loads the same
 * orders file with LOAD DATA LOCAL INFILE into an equivalent table as the baseline, and prints
 * both rates, their ratio and the peak memory of this process. The last stdout line is one JSON
 * object with the figures.
 *
 * Environment: BENCH_CUSTOMERS (default 100000), BENCH_SEED (default 1), TEST_DATABASE_URL
 * (default mysql://root@127.0.0.1:3306), BENCH_KEEP=1 keeps the database and files.
 */
import { execFileSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createTestDatabase,
  importCsvInWorker,
  systemActor,
  type TestDatabase,
} from "@valuetier/api";
import mysql from "mysql2/promise";

import { cleanUp, log, mb, round, runBench, watchMemory } from "./measure";
const customers = Number(process.env.BENCH_CUSTOMERS || 100_000);
const seed = Number(process.env.BENCH_SEED || 1);
const keep = process.env.BENCH_KEEP === "1";

function countLines(file: string): number {
  // Only for the report: the files are a few tens of MB, and this runs outside the timings.
  const text = readFileSync(file);
  let lines = 0;
  for (let at = text.indexOf(10); at !== -1; at = text.indexOf(10, at + 1)) lines++;
  return lines - 1;
}

async function loadDataBaseline(db: TestDatabase, ordersFile: string): Promise<number> {
  const connection = await mysql.createConnection({
    uri: db.url,
    // mysql2 reads the file itself and streams it to the server for LOAD DATA LOCAL INFILE.
    infileStreamFactory: (file: string) => createReadStream(file),
  });
  try {
    const [[setting]] = (await connection.query(
      "SELECT @@GLOBAL.local_infile AS enabled",
    )) as unknown as [{ enabled: number }[]];
    if (!Number(setting?.enabled)) {
      try {
        await connection.query("SET GLOBAL local_infile = 1");
        log("enabled local_infile on the server (SET GLOBAL local_infile = 1)");
      } catch (error) {
        throw new Error(
          `the server refuses LOAD DATA LOCAL INFILE (local_infile is OFF) and cannot be switched on: ${
            (error as Error).message
          }`,
        );
      }
    }
    // Same columns and indexes as orders. The file names customers by external id, and a
    // lookup subquery in LOAD DATA's SET clause cannot use the index on MariaDB (a full scan
    // per row), so the baseline derives customer_id from the generated id text (C0000042 → 42):
    // cheaper than any real lookup, which makes it the strictest baseline. The check below
    // compares every row with the imported one (the customer through its external id).
    await connection.query("CREATE TABLE orders_baseline LIKE orders");
    const started = performance.now();
    await connection.query(
      `LOAD DATA LOCAL INFILE ? INTO TABLE orders_baseline CHARACTER SET utf8mb4
       FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' LINES TERMINATED BY '\\n' IGNORE 1 LINES
       (external_id, @customer_external_id, @placed_at, @amount, @margin, currency, status)
       SET customer_id = CAST(SUBSTRING(@customer_external_id, 2) AS UNSIGNED),
           placed_at = STR_TO_DATE(@placed_at, '%Y-%m-%dT%H:%i:%sZ'),
           amount_minor = ROUND(@amount * 100),
           margin_minor = IF(@margin = '', NULL, ROUND(@margin * 100))`,
      [ordersFile],
    );
    const seconds = (performance.now() - started) / 1000;
    const [[check]] = (await connection.query(
      `SELECT COUNT(*) AS loaded,
              SUM(c.external_id = CONCAT('C', LPAD(b.customer_id, 7, '0'))
                  AND o.placed_at = b.placed_at AND o.amount_minor = b.amount_minor
                  AND o.margin_minor <=> b.margin_minor AND o.currency = b.currency
                  AND o.status = b.status) AS same
         FROM orders_baseline b
         LEFT JOIN orders o ON o.external_id = b.external_id
         LEFT JOIN customers c ON c.id = o.customer_id`,
    )) as unknown as [{ loaded: number; same: number }[]];
    log(`baseline rows: ${check!.loaded}, identical to the imported ones: ${Number(check!.same)}`);
    if (Number(check!.same) !== Number(check!.loaded)) {
      throw new Error("the LOAD DATA baseline and the import disagree on the orders table");
    }
    return seconds;
  } finally {
    await connection.end();
  }
}

/**
 * Outside the timings: every customer's aggregates must equal what its completed orders give
 * (the import sums them for the customers it creates instead of recomputing them).
 */
async function checkAggregates(db: TestDatabase): Promise<void> {
  const [check] = (await db.dataSource.query(
    `SELECT COUNT(*) AS customers,
            SUM(c.order_count = COALESCE(a.n, 0) AND c.total_spent_minor = COALESCE(a.spent, 0)
                AND c.first_order_at <=> a.first_at AND c.last_order_at <=> a.last_at) AS same
       FROM customers c
       LEFT JOIN (SELECT customer_id, COUNT(*) AS n, SUM(amount_minor) AS spent,
                         MIN(placed_at) AS first_at, MAX(placed_at) AS last_at
                    FROM orders WHERE status = 'completed' GROUP BY customer_id) a
         ON a.customer_id = c.id`,
  )) as { customers: number | string; same: number | string }[];
  log(
    `customer aggregates equal to a recompute from the orders: ${check!.same} of ${check!.customers}`,
  );
  if (Number(check!.same) !== Number(check!.customers)) {
    throw new Error("the import left customer aggregates that differ from their orders");
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-bench-import-"));
  const customersFile = path.join(dir, "customers.csv");
  const ordersFile = path.join(dir, "orders.csv");
  let db: TestDatabase | undefined;
  try {
    log(`generating ${customers} customers (seed ${seed}) into ${dir}`);
    const cli = require.resolve("@valuetier/cli/bin/valuetier.js");
    const generated = JSON.parse(
      execFileSync(
        process.execPath,
        [
          cli,
          "generate",
          "--customers",
          String(customers),
          "--seed",
          String(seed),
          "--out",
          dir,
          "--json",
        ],
        {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "inherit"],
        },
      ),
    ) as { customers: number; orders: number; seconds: number };
    log(
      `generated ${generated.customers} customers and ${generated.orders} orders in ${generated.seconds.toFixed(1)} s`,
    );

    db = await createTestDatabase("vt_bench_import");
    const peakMemory = watchMemory();
    const phases: Record<string, number> = {};
    const started = performance.now();
    // The import as `valuetier import` runs it: full validation, in a worker thread with a
    // bounded heap, on its own connection.
    const result = await importCsvInWorker({
      database: { databaseUrl: db.url },
      service: { currency: "USD" },
      maxHeapMb: process.env.BENCH_MAX_HEAP_MB ? Number(process.env.BENCH_MAX_HEAP_MB) : undefined,
      customersFile,
      ordersFile,
      actor: systemActor("bench"),
      onProgress: (p) => {
        phases[p.phase] = performance.now() - started;
      },
    });
    const importSeconds = (performance.now() - started) / 1000;
    if (result.errorCount > 0) {
      throw new Error(
        `the import rejected ${result.errorCount} rows, e.g. ${JSON.stringify(result.errors[0])}`,
      );
    }
    if (
      result.orders.imported !== generated.orders ||
      result.customers.imported !== generated.customers
    ) {
      throw new Error(
        `the import wrote ${JSON.stringify(result)}, expected ${JSON.stringify(generated)}`,
      );
    }
    const rows = result.customers.imported + result.orders.imported;
    const rowsPerSec = rows / importSeconds;
    log(
      `import: ${rows} rows in ${importSeconds.toFixed(1)} s = ${Math.round(rowsPerSec)} rows/s ` +
        `(customers done at ${((phases.customers ?? 0) / 1000).toFixed(1)} s, orders at ` +
        `${((phases.orders ?? 0) / 1000).toFixed(1)} s, aggregates at ${((phases.aggregates ?? 0) / 1000).toFixed(1)} s)`,
    );

    await checkAggregates(db);
    const baselineSeconds = await loadDataBaseline(db, ordersFile);
    const baselineRowsPerSec = countLines(ordersFile) / baselineSeconds;
    const ratio = rowsPerSec / baselineRowsPerSec;
    const peakRssMb = mb(peakMemory());
    log(
      `LOAD DATA LOCAL INFILE: ${generated.orders} orders in ${baselineSeconds.toFixed(1)} s = ${Math.round(baselineRowsPerSec)} rows/s`,
    );
    log(
      `ratio import/baseline: ${ratio.toFixed(2)} (target >= 0.40); peak RSS ${peakRssMb} MB (target < 300 MB)`,
    );
    log(
      JSON.stringify({
        bench: "import",
        rowsPerSec: Math.round(rowsPerSec),
        baselineRowsPerSec: Math.round(baselineRowsPerSec),
        ratio: round(ratio, 3),
        peakRssMb,
        customers: result.customers.imported,
        orders: result.orders.imported,
        seconds: round(importSeconds, 2),
      }),
    );
  } finally {
    await cleanUp(db, dir, keep);
  }
}

runBench("bench:import", main);
