import type { DataSource } from "typeorm";
import type { AppConfig } from "../config";
import { createDataSource } from "./data-source";
import { MigrationError, pendingMigrations, runPendingMigrations } from "./migration-runner";

/**
 * The database could not be opened or its schema is not one this version can use. The message
 * is one line that says which database and what is wrong.
 */
export class DatabaseOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseOpenError";
  }
}

/**
 * Opens the configured database: MySQL with pending migrations applied (unless
 * MIGRATIONS_RUN=false) and its schema checked, or the embedded SQLite file, whose schema
 * follows the entities. On any failure the connections are closed before the error is thrown,
 * so a command that reports it can exit instead of waiting on an open pool.
 */
export async function openDatabase(
  config: AppConfig,
  log: Pick<Console, "error"> = console,
): Promise<DataSource> {
  const dataSource = createDataSource({
    databaseUrl: config.databaseUrl,
    sqlitePath: config.sqlitePath,
  });
  const where = config.databaseUrl ? redact(config.databaseUrl) : config.sqlitePath;
  try {
    await dataSource.initialize();
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw new DatabaseOpenError(`cannot open the database at ${where}: ${firstLine(error)}`);
  }
  if (!config.databaseUrl) return dataSource;
  try {
    if (config.migrationsRun) await runPendingMigrations(dataSource, { log });
    await checkSchema(dataSource, config.migrationsRun);
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw new DatabaseOpenError(`database ${where}: ${firstLine(error)}`);
  }
  return dataSource;
}

/**
 * Every migration recorded and every entity's table present, so that a command fails here with
 * a message instead of half way through its work on a missing table.
 */
async function checkSchema(dataSource: DataSource, migrationsRun: boolean): Promise<void> {
  const pending = await pendingMigrations(dataSource);
  if (pending.length > 0) {
    throw new MigrationError(
      `${pending.length} migration${pending.length === 1 ? " is" : "s are"} not applied (${pending.join(", ")})` +
        (migrationsRun
          ? ""
          : ": MIGRATIONS_RUN=false; start once with MIGRATIONS_RUN=true to apply them"),
    );
  }
  const rows: { name: string }[] = await dataSource.query(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()",
  );
  const present = new Set(rows.map((r) => r.name.toLowerCase()));
  const missing = dataSource.entityMetadatas
    .map((m) => m.tableName)
    .filter((name) => !present.has(name.toLowerCase()));
  if (missing.length > 0) {
    throw new MigrationError(
      `the tables ${missing.join(", ")} are missing although every migration is recorded: ` +
        `the schema was changed outside ValueTier's migrations`,
    );
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

/** A database URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
