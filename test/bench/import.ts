/**
 * Import benchmark (`npm run bench:import`): generates 100,000 customers and their ~1,000,000
 * orders, imports them into a fresh MySQL database with full validation, then loads the same
 * orders file with LOAD DATA LOCAL INFILE into an equivalent table as the baseline, and prints
 * both rates, their ratio and the peak memory of the import. The last stdout line is one JSON
 * object with the figures.
 *
 * Each import runs in a process of its own (import-round.ts), whose peak resident memory is the
 * figure reported. Both are timed in each of BENCH_RUNS rounds (default 3, each on a fresh database, with the
 * server's dirty pages written back before every timed step) and the ratio is that of the
 * medians: on a shared two-core machine a single run of either varies by a third.
 *
 * Environment: BENCH_CUSTOMERS (default 100000), BENCH_SEED (default 1), BENCH_RUNS (default 3),
 * TEST_DATABASE_URL (default mysql://root@127.0.0.1:3306), BENCH_KEEP=1 keeps the last database
 * and the files.
 */
import { execFileSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  checkCustomerAggregates,
  createTestDatabase,
  type TestDatabase,
} from "@valuetier/api/testing";
import mysql from "mysql2/promise";
import { cleanUp, log, round, runBench } from "./measure";
const customers = Number(process.env.BENCH_CUSTOMERS || 100_000);
const seed = Number(process.env.BENCH_SEED || 1);
const keep = process.env.BENCH_KEEP === "1";
const runs = Math.max(1, Number(process.env.BENCH_RUNS || 3));

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
 * Waits until the server has written back most pages the previous step dirtied, so that
 * neither timed step pays for the other's writes: InnoDB flushes them in the background, and
 * with the default 128 MB buffer pool a million-row load fills it. Stops when at most 5% of the
 * pool is dirty, when the count has not fallen for three seconds (an idle server may leave the
 * rest), or after a minute.
 * @returns seconds waited.
 */
async function settle(db: TestDatabase): Promise<number> {
  const started = performance.now();
  const status = async (name: string): Promise<number> => {
    const [row] = (await db.dataSource.query("SHOW GLOBAL STATUS LIKE ?", [name])) as {
      Value: string;
    }[];
    return Number(row?.Value ?? 0);
  };
  let lowest = Infinity;
  let lowestAt = started;
  while (performance.now() - started < 60_000) {
    const dirty = await status("Innodb_buffer_pool_pages_dirty");
    const total = await status("Innodb_buffer_pool_pages_total");
    if (total === 0 || dirty <= total * 0.05) break;
    if (dirty < lowest) {
      lowest = dirty;
      lowestAt = performance.now();
    } else if (performance.now() - lowestAt > 3000) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return (performance.now() - started) / 1000;
}

/**
 * Outside the timings: every customer's aggregates must equal what its completed orders give
 * (the import writes the customers it creates with a forecast of them, checked at the end).
 */
async function checkAggregates(db: TestDatabase): Promise<void> {
  const check = await checkCustomerAggregates(db.dataSource);
  log(
    `customer aggregates equal to a recompute from the orders: ${check.right} of ${check.customers}`,
  );
  if (check.right !== check.customers) {
    throw new Error("the import left customer aggregates that differ from their orders");
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Round {
  seconds: number;
  phases: Record<string, number>;
  customers: { imported: number };
  orders: { imported: number };
  errorCount: number;
  firstError: unknown;
  peakRssMb: number;
}

/** One import of both files into `db`, in a process of its own (import-round.ts), checked. */
function timedImport(
  db: TestDatabase,
  customersFile: string,
  ordersFile: string,
  generated: { customers: number; orders: number },
): Round {
  const result = JSON.parse(
    execFileSync(
      process.execPath,
      [path.join(__dirname, "import-round.js"), db.url, customersFile, ordersFile],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    ),
  ) as Round;
  if (result.errorCount > 0) {
    throw new Error(
      `the import rejected ${result.errorCount} rows, e.g. ${JSON.stringify(result.firstError)}`,
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
  const at = (phase: string) => (result.phases[phase] ?? 0).toFixed(1);
  log(
    `import: ${rows} rows in ${result.seconds.toFixed(1)} s = ${Math.round(rows / result.seconds)} rows/s ` +
      `(customers done at ${at("customers")} s, orders at ${at("orders")} s, aggregates at ` +
      `${at("aggregates")} s); peak RSS of the import process ${result.peakRssMb} MB`,
  );
  return result;
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

    const expectedRows = generated.customers + generated.orders;
    const baselineRows = countLines(ordersFile);
    const imports: number[] = [];
    const peaks: number[] = [];
    const baselines: number[] = [];
    for (let round = 1; round <= runs; round++) {
      // Each round on a fresh database, so that every import is a first import.
      if (db) await db.drop();
      db = await createTestDatabase("vt_bench_import");
      log(`round ${round} of ${runs}: server settled in ${(await settle(db)).toFixed(1)} s`);
      const timed = timedImport(db, customersFile, ordersFile, generated);
      imports.push(expectedRows / timed.seconds);
      peaks.push(timed.peakRssMb);
      await checkAggregates(db);
      log(`server settled in ${(await settle(db)).toFixed(1)} s`);
      const baselineSeconds = await loadDataBaseline(db, ordersFile);
      baselines.push(baselineRows / baselineSeconds);
      log(
        `LOAD DATA LOCAL INFILE: ${baselineRows} orders in ${baselineSeconds.toFixed(1)} s = ` +
          `${Math.round(baselines[baselines.length - 1]!)} rows/s`,
      );
    }
    const rowsPerSec = median(imports);
    const baselineRowsPerSec = median(baselines);
    const ratio = rowsPerSec / baselineRowsPerSec;
    const peakRssMb = Math.max(...peaks);
    log(
      `median of ${runs}: import ${Math.round(rowsPerSec)} rows/s, LOAD DATA ${Math.round(baselineRowsPerSec)} rows/s`,
    );
    log(
      `ratio import/baseline: ${ratio.toFixed(2)} (target >= 0.50); peak RSS of an import ${peakRssMb} MB (target < 300 MB)`,
    );
    log(
      JSON.stringify({
        bench: "import",
        runs,
        rowsPerSec: Math.round(rowsPerSec),
        baselineRowsPerSec: Math.round(baselineRowsPerSec),
        ratio: round(ratio, 3),
        peakRssMb,
        customers: generated.customers,
        orders: generated.orders,
        seconds: round(expectedRows / rowsPerSec, 2),
        importRowsPerSec: imports.map((r) => Math.round(r)),
        baselineRowsPerSecEach: baselines.map((r) => Math.round(r)),
      }),
    );
  } finally {
    await cleanUp(db, dir, keep);
  }
}

runBench("bench:import", main);
