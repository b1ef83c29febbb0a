import type { Command } from "commander";
import { CliError } from "../cli-error";
import { databaseConfig } from "../database-config";
import { printJson, stopOnInterrupt, type CliIo } from "../io";

interface LoyaltyJobOptions {
  databaseUrl?: string;
  json?: boolean;
  asOf?: string;
}

type Action = "activate" | "expire" | "reconcile";

const KIND: Record<Action, string> = {
  activate: "loyalty-activate",
  expire: "loyalty-expire",
  reconcile: "loyalty-reconcile",
};

async function runLoyaltyJob(action: Action, options: LoyaltyJobOptions, io: CliIo): Promise<void> {
  // Loaded here, not at start-up: the API pulls in TypeORM and both database drivers.
  const {
    checkHousekeepingAsOf,
    JobBusyError,
    JobRunner,
    JobStoppedError,
    openDatabase,
    registerLoyaltyJobs,
    systemActor,
  } = await import("@valuetier/api");
  if (options.asOf !== undefined) {
    // Not an instant, or later than now: refused before the database is opened (the job would
    // refuse it too, as a failed job).
    const asOf = checkHousekeepingAsOf(options.asOf, new Date(), "--as-of");
    if (!(asOf instanceof Date)) throw new CliError(`${asOf.message} (${asOf.code})`);
  }
  const { config, databaseUrl } = await databaseConfig(options.databaseUrl);
  const stop = stopOnInterrupt(
    io,
    "stopping: what committed stays, and running the command again finishes the rest",
  );
  let dataSource;
  try {
    dataSource = await openDatabase(
      { ...config, databaseUrl },
      { error: (m: string) => io.stderr(`${m}\n`) },
    );
    // The same job kinds and lock as the API's scheduled jobs: one of each kind at a time.
    const runner = new JobRunner(dataSource, {
      log: { error: (m: string) => io.stderr(`${m}\n`) },
    });
    registerLoyaltyJobs(runner, dataSource, { defaultMarginRate: config.defaultMarginRate });
    const actor = systemActor("cli");
    const params = action === "reconcile" ? undefined : { now: options.asOf };
    let result: unknown;
    try {
      ({ result } = await runner.run(KIND[action], params, actor, { signal: stop.signal }));
    } catch (error) {
      if (error instanceof JobBusyError || error instanceof JobStoppedError) {
        throw new CliError(error.message);
      }
      if (error instanceof Error) {
        throw new CliError(`${KIND[action]} failed: ${error.message.split("\n")[0]}`);
      }
      throw error;
    }
    if (options.json) {
      printJson(io, result);
    } else if (action === "reconcile") {
      const r = result as {
        accounts: number;
        accountsWithDrift: number;
        drift: unknown[];
        lotDrift: unknown[];
        entryDrift: unknown[];
      };
      io.stdout(
        `checked ${r.accounts.toLocaleString("en")} accounts: ${r.accountsWithDrift} with cached figures that differ from the ledger, ` +
          `${r.lotDrift.length} lots and ${r.entryDrift.length} entries that differ from their lot changes (nothing was changed)\n`,
      );
      for (const d of r.drift.slice(0, 20)) io.stdout(`  ${JSON.stringify(d)}\n`);
    } else {
      const r = result as { accounts: number; entries: number; points: number; asOf: string };
      io.stdout(
        `${action === "activate" ? "activated" : "expired"} ${r.points.toLocaleString("en")} points ` +
          `(${r.entries} lots, ${r.accounts} accounts) as of ${r.asOf}\n`,
      );
    }
  } finally {
    stop.dispose();
    if (dataSource?.isInitialized) await dataSource.destroy();
  }
}

/** `valuetier loyalty activate|expire|reconcile`: the loyalty jobs, in the foreground. */
export function register(program: Command, io: CliIo): void {
  const loyalty = program
    .command("loyalty")
    .description("run the loyalty programme's jobs on the database");
  const common = (command: Command) =>
    command
      .option(
        "--database-url <url>",
        "mysql://user:pass@host:port/db (default: DATABASE_URL, else the embedded SQLite file)",
      )
      .option("--json", "print one JSON document with the job's result on stdout");
  common(
    loyalty
      .command("activate")
      .description("make pending points whose return window has ended available (idempotent)")
      .option(
        "--as-of <instant>",
        "run as of this ISO 8601 instant, not later than now (default: now)",
      ),
  ).action(async (options: LoyaltyJobOptions) => runLoyaltyJob("activate", options, io));
  common(
    loyalty
      .command("expire")
      .description("expire the open points of lots whose expiry has come (idempotent)")
      .option(
        "--as-of <instant>",
        "run as of this ISO 8601 instant, not later than now (default: now)",
      ),
  ).action(async (options: LoyaltyJobOptions) => runLoyaltyJob("expire", options, io));
  common(
    loyalty
      .command("reconcile")
      .description(
        "recompute every account from its ledger and lots and report any drift; changes nothing",
      ),
  ).action(async (options: LoyaltyJobOptions) => runLoyaltyJob("reconcile", options, io));
}
