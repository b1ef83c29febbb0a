import "reflect-metadata";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { format as mysqlFormat } from "mysql2";
import { DataSource, type Logger } from "typeorm";
import { entities } from "./entities";
import { migrations } from "./migrations";

export type Driver = "mysql" | "sqlite";

export interface DataSourceOptions {
  /** mysql://user:pass@host:port/db; undefined selects the embedded SQLite file. */
  databaseUrl?: string;
  sqlitePath?: string;
  logging?: boolean;
  /** A TypeORM logger, e.g. one that counts queries in a test. */
  logger?: Logger;
}

export function driverOf(dataSource: DataSource): Driver {
  return dataSource.options.type === "better-sqlite3" ? "sqlite" : "mysql";
}

/**
 * mysql2's formatting of `query(sql, values)`, but returning a statement without values as it
 * is: mysql2 formats even then, and its formatter scans the whole text for placeholders, which
 * for the import's INSERTs of several hundred kilobytes (values written into the text) cost
 * close to a second of CPU per million rows. With values it is mysql2's own formatter, with
 * mysql2's defaults (objects not stringified, the connection's time zone).
 */
function queryFormat(sql: string, values: unknown, timezone: string): string {
  if (values === undefined || values === null) return sql;
  if (Array.isArray(values) && values.length === 0) return sql;
  return mysqlFormat(sql, values as Parameters<typeof mysqlFormat>[1], false, timezone);
}

/**
 * A DataSource for MySQL (system of record, committed migrations, synchronize off) or for the
 * embedded SQLite file used when no database is configured. The embedded file is a demo and
 * newcomer database: its schema is synchronised from the entities, which is why it is never
 * used for production data.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  if (options.databaseUrl) {
    return new DataSource({
      type: "mysql",
      url: options.databaseUrl.replace(/^mariadb:/, "mysql:"),
      entities,
      migrations,
      synchronize: false,
      migrationsRun: false,
      migrationsTableName: "migrations",
      timezone: "Z",
      charset: "utf8mb4_unicode_ci",
      // Numbers for BIGINT within the safe range; money columns also pass through bigintNumber.
      supportBigNumbers: true,
      bigNumberStrings: false,
      logging: options.logging ?? (options.logger ? true : false),
      logger: options.logger,
      poolSize: 10,
      extra: { queryFormat },
    });
  }
  const file = options.sqlitePath ?? path.resolve(".data/valuetier.sqlite");
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  return new DataSource({
    type: "better-sqlite3",
    database: file,
    entities,
    synchronize: true,
    logging: options.logging ?? (options.logger ? true : false),
    logger: options.logger,
    prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.pragma("busy_timeout = 5000");
    },
  });
}
