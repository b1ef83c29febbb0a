import type { DataSource } from "typeorm";
import type { AppConfig } from "../config";
import { createDataSource } from "./data-source";

/**
 * Opens the configured database: MySQL with pending migrations applied (unless
 * MIGRATIONS_RUN=false), or the embedded SQLite file, whose schema follows the entities.
 */
export async function openDatabase(
  config: AppConfig,
  log: Pick<Console, "error"> = console,
): Promise<DataSource> {
  const dataSource = createDataSource({
    databaseUrl: config.databaseUrl,
    sqlitePath: config.sqlitePath,
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    const where = config.databaseUrl ? redact(config.databaseUrl) : config.sqlitePath;
    throw new Error(
      `cannot open the database at ${where}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (config.databaseUrl && config.migrationsRun) {
    const applied = await dataSource.runMigrations({ transaction: "each" });
    for (const migration of applied) log.error(`applied migration ${migration.name}`);
  }
  return dataSource;
}

/** A database URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
