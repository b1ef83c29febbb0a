import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import type { DataSource, Logger } from "typeorm";
import { createDataSource } from "../db/data-source";

/** Server URL for integration tests, without a database name (each test makes its own). */
export function testServerUrl(): string {
  const url = new URL(process.env.TEST_DATABASE_URL || "mysql://root@127.0.0.1:3306");
  url.pathname = "";
  return url.toString().replace(/\/+$/, "");
}

/** Runs one statement on the server without selecting a database (TypeORM insists on one). */
async function onServer(serverUrl: string, sql: string): Promise<void> {
  const connection = await mysql.createConnection(serverUrl);
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

export interface TestDatabase {
  /** mysql://…/<name> of the fresh database, migrations applied. */
  url: string;
  name: string;
  dataSource: DataSource;
  /** Closes the data source and drops the database. */
  drop(): Promise<void>;
}

/**
 * Makes a fresh MySQL database with every migration applied, for one test file. Each run uses
 * its own random name, so test files and parallel CI runs never share state.
 */
export async function createTestDatabase(
  prefix = "vt_test",
  options: { logger?: Logger } = {},
): Promise<TestDatabase> {
  const server = testServerUrl();
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await onServer(
    server,
    `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  const url = `${server}/${name}`;
  const dataSource = createDataSource({ databaseUrl: url, logger: options.logger });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: "each" });
  return {
    url,
    name,
    dataSource,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await onServer(server, `DROP DATABASE IF EXISTS \`${name}\``);
    },
  };
}
