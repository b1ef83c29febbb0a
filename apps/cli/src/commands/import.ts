import { once } from "node:events";
import { createWriteStream, statSync } from "node:fs";
import path from "node:path";
import type { CsvImportResult, ImportCounts, ImportProgress } from "@valuetier/api/app";
import { csvField } from "@valuetier/domain";
import type { Command } from "commander";
import { CliError } from "../cli-error";
import { databaseConfig } from "../database-config";
import { printJson, stopOnInterrupt, type CliIo } from "../io";

interface ImportOptions {
  customers?: string;
  orders?: string;
  databaseUrl?: string;
  strict?: boolean;
  errors?: string;
  json?: boolean;
  earnPoints?: boolean;
}

/** Rejected rows listed on stdout (all of them go to --errors). */
const LISTED_ERRORS = 20;
/** Rejected rows in the --json document (all of them go to --errors). */
const JSON_ERRORS = 100;
const PROGRESS_ROWS = 100_000;
const PROGRESS_MS = 2000;

function checkFile(file: string, option: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new CliError(`${option}: file not found: ${file}`);
  }
  if (!isFile) throw new CliError(`${option}: not a file: ${file}`);
}

function progressReporter(io: CliIo): (p: ImportProgress) => void {
  let lastRows = 0;
  let lastTime = Date.now();
  let lastPhase = "";
  return (p) => {
    const key = `${p.checking}:${p.phase}`;
    if (key !== lastPhase) {
      lastPhase = key;
      lastRows = 0;
    }
    if (p.phase === "aggregates") return;
    if (p.counts.read - lastRows < PROGRESS_ROWS && Date.now() - lastTime < PROGRESS_MS) return;
    lastRows = p.counts.read;
    lastTime = Date.now();
    const c = p.counts;
    io.stderr(
      `${p.checking ? "checking " : ""}${path.basename(p.file ?? "")}: ${c.read.toLocaleString("en")} rows ` +
        `(${c.created.toLocaleString("en")} new, ${c.updated.toLocaleString("en")} changed, ` +
        `${c.unchanged.toLocaleString("en")} unchanged, ` +
        `${c.rejected.toLocaleString("en")} rejected)\n`,
    );
  };
}

function countsLine(label: string, c: ImportCounts): string {
  return (
    `${label.padEnd(10)} read ${c.read}, imported ${c.imported} (${c.created} new, ` +
    `${c.updated} changed existing ${label}), unchanged ${c.unchanged}, rejected ${c.rejected}\n`
  );
}

function printSummary(io: CliIo, result: CsvImportResult, errorsFile: string | undefined): void {
  io.stdout(countsLine("customers", result.customers) + countsLine("orders", result.orders));
  if (result.loyalty) {
    const l = result.loyalty;
    io.stdout(
      `${"points".padEnd(10)} earned ${l.pointsEarned} on ${l.ordersEarned} orders, ` +
        `reversed ${l.pointsReversed} on ${l.ordersReversed} refunded orders\n`,
    );
  }
  for (const error of result.errors.slice(0, LISTED_ERRORS)) {
    io.stdout(`${error.file}:${error.line}: ${error.reason}\n`);
  }
  const more = result.errorCount - Math.min(result.errors.length, LISTED_ERRORS);
  if (more > 0) {
    io.stdout(
      `… and ${more} more rejected row${more === 1 ? "" : "s"}` +
        (errorsFile ? ` (all in ${errorsFile})\n` : " (use --errors FILE to get them all)\n"),
    );
  }
}

async function runImport(options: ImportOptions, io: CliIo): Promise<void> {
  if (!options.customers && !options.orders) {
    throw new CliError("give --customers FILE, --orders FILE or both");
  }
  if (options.customers) checkFile(options.customers, "--customers");
  if (options.orders) checkFile(options.orders, "--orders");
  if (options.earnPoints && !options.orders) {
    throw new CliError("--earn-points: give --orders FILE (points are earned by orders)");
  }
  // Loaded here, not at start-up: the API pulls in TypeORM and both database drivers, which
  // every other command can do without.
  const { ImportAbortedError, ImportFileError, importCsvInWorker, openDatabase, systemActor } =
    await import("@valuetier/api/app");
  const { config, databaseUrl } = await databaseConfig(options.databaseUrl);

  const errorsOut = options.errors ? createWriteStream(options.errors) : null;
  errorsOut?.write("file,line,reason\n");
  // Ctrl-C (or SIGTERM) stops the import after the batches under way, which commit, and puts
  // the totals of the customers it created right for the orders written; a second one quits
  // at once (the batches committed stay, and running the import again finishes it).
  const stop = stopOnInterrupt(io, "stopping after the batches under way");
  try {
    // Pending migrations are applied as the server does at start-up (MIGRATIONS_RUN=false opts
    // out); the embedded SQLite file follows the entities. This also reports an unreachable
    // database before any file is read.
    const dataSource = await openDatabase(
      { ...config, databaseUrl },
      { error: (m: string) => io.stderr(`${m}\n`) },
    );
    await dataSource.destroy();
    // The import itself runs in a worker thread with a bounded heap (see importCsvInWorker).
    const result = await importCsvInWorker({
      database: { databaseUrl, sqlitePath: config.sqlitePath },
      service: { currency: config.defaultCurrency },
      defaultMarginRate: config.defaultMarginRate,
      customersFile: options.customers,
      ordersFile: options.orders,
      strict: options.strict,
      earnPoints: options.earnPoints === true,
      actor: systemActor("cli"),
      signal: stop.signal,
      maxErrors: Math.max(JSON_ERRORS, LISTED_ERRORS),
      onProgress: progressReporter(io),
      onError: (e) => errorsOut?.write(`${csvField(e.file)},${e.line},${csvField(e.reason)}\n`),
    });
    if (options.json) {
      printJson(io, {
        customers: result.customers,
        orders: result.orders,
        errors: result.errors
          .slice(0, JSON_ERRORS)
          .map(({ file, line, reason }) => ({ file, line, reason })),
        ...(result.loyalty ? { loyalty: result.loyalty } : {}),
      });
    } else {
      printSummary(io, result, options.errors);
    }
    if (!result.written) {
      throw new CliError(
        `--strict: ${result.errorCount} row${result.errorCount === 1 ? "" : "s"} rejected, nothing was written` +
          (options.errors ? ` (see ${options.errors})` : ""),
      );
    }
    if (result.errorCount > 0 && options.json) {
      io.stderr(
        `${result.errorCount} rows rejected${options.errors ? `, listed in ${options.errors}` : ""}\n`,
      );
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw new CliError(error.message);
    if (error instanceof ImportAbortedError) {
      throw new CliError(
        "stopped: the batches written so far are kept; run the same import again to finish it",
      );
    }
    throw error;
  } finally {
    stop.dispose();
    if (errorsOut) {
      errorsOut.end();
      await once(errorsOut, "close");
    }
  }
}

/** `valuetier import`: customers.csv and orders.csv into the database (see apps/cli/README.md). */
export function register(program: Command, io: CliIo): void {
  program
    .command("import")
    .description(
      "load customers.csv and orders.csv into the database, idempotently; rejected rows are " +
        "reported with their line and reason",
    )
    .option("--customers <file>", "customers.csv")
    .option("--orders <file>", "orders.csv")
    .option(
      "--database-url <url>",
      "mysql://user:pass@host:port/db (default: DATABASE_URL, else the embedded SQLite file)",
    )
    .option("--strict", "write nothing at all if any row of either file is bad")
    .option("--errors <file>", "write every rejected row to this CSV file (file,line,reason)")
    .option("--json", "print one JSON document with the counts and errors on stdout")
    .option(
      "--earn-points",
      "back-fill loyalty points for the imported orders (each at its own date, in the batch's " +
        "transaction; refunded orders reverse; a rerun earns nothing twice). Without it an " +
        "import never earns points",
    )
    .action(async (options: ImportOptions) => runImport(options, io));
}
