import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { createDataSource } from "../db/data-source";
import { migrations } from "../db/migrations";
import { openDatabase } from "../db/open-database";
import { systemActor } from "../modules/audit/audit.service";
import { ImportService } from "../modules/import/import.service";
import { ScoringRunService } from "../modules/value/scoring-run.service";
import { testServerUrl } from "../testing/test-database";
import { compileApi, type CompiledApi } from "./compiled-api";

// MySQL commits DDL at once, so a process killed in the middle of a migration leaves part of
// it applied. These tests kill a real process (SIGKILL) at a known statement of a migration
// and start again: the schema must end as a clean run makes it, and work. A database whose
// schema cannot be used must be reported within seconds, with its connections closed.

const MIGRATION_NAMES = migrations.map((m) => m.name);

let api: CompiledApi;
let server: mysql.Connection;
const databases: string[] = [];
let reference: string[];

async function freshDatabase(): Promise<{ name: string; url: string }> {
  const name = `vt_migrate_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await server.query(
    `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  databases.push(name);
  return { name, url: `${testServerUrl()}/${name}` };
}

function configFor(url: string, env: Record<string, string> = {}) {
  return loadConfig({
    DATABASE_URL: url,
    JWT_SECRET: randomBytes(32).toString("hex"),
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "vt-migrate-")),
    ...env,
  });
}

/** Every table, column and index of the database, one line each, sorted. */
async function schemaOf(name: string): Promise<string[]> {
  const [columns] = await server.query(
    `SELECT table_name, column_name, ordinal_position, column_type, is_nullable, column_default,
            extra, collation_name
       FROM information_schema.columns WHERE table_schema = ?`,
    [name],
  );
  const [indexes] = await server.query(
    `SELECT table_name, index_name, seq_in_index, column_name, non_unique
       FROM information_schema.statistics WHERE table_schema = ?`,
    [name],
  );
  return [...(columns as object[]), ...(indexes as object[])]
    .map((row) => JSON.stringify(Object.values(row)))
    .sort();
}

async function tablesOf(name: string): Promise<string[]> {
  const [rows] = await server.query(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? ORDER BY 1",
    [name],
  );
  return (rows as { t: string }[]).map((r) => r.t);
}

async function connectionsTo(name: string): Promise<number> {
  // A connection the child closed as it exited can take a moment to leave the process list on
  // a busy server: look again for up to two seconds before counting it as left open.
  let n = 0;
  for (let tries = 0; tries < 20; tries++) {
    const [rows] = await server.query(
      "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = ?",
      [name],
    );
    n = Number((rows as { n: number | string }[])[0]!.n);
    if (n === 0) return 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return n;
}

/**
 * Runs the migration runner in a child process, pauses it once `statements` statements of
 * `migration` have run, and kills it with SIGKILL there.
 */
async function killHalfWay(url: string, migration: string, statements: number): Promise<void> {
  const script = `
    const { createDataSource } = require(${JSON.stringify(path.join(api.dir, "db/data-source.js"))});
    const { runPendingMigrations } = require(${JSON.stringify(path.join(api.dir, "db/migration-runner.js"))});
    (async () => {
      const dataSource = createDataSource({ databaseUrl: process.env.DATABASE_URL });
      await dataSource.initialize();
      await runPendingMigrations(dataSource, {
        log: { error: () => undefined },
        afterStatement: async (name, n) => {
          if (name !== ${JSON.stringify(migration)} || n !== ${statements}) return;
          process.stdout.write("paused\\n");
          await new Promise(() => setInterval(() => undefined, 1000));
        },
      });
      process.stdout.write("finished\\n");
      process.exit(0);
    })().catch((error) => { process.stdout.write("failed: " + error.message + "\\n"); process.exit(1); });
  `;
  const child = spawn(process.execPath, ["-e", script], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("paused")) resolve();
    });
    child.once("exit", () => reject(new Error(`the runner ended before the pause: ${output}`)));
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

beforeAll(async () => {
  api = await compileApi();
  server = await mysql.createConnection(testServerUrl());
  const clean = await freshDatabase();
  const dataSource = await openDatabase(configFor(clean.url), { error: () => undefined });
  await dataSource.destroy();
  reference = await schemaOf(clean.name);
});

afterAll(async () => {
  for (const name of databases) await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await server?.end();
  api?.remove();
});

describe("a migration killed half way", () => {
  it.each([
    // After the third of Initial's five CREATE TABLEs: three tables made, two not.
    { migration: MIGRATION_NAMES[0]!, statements: 3 },
    // After every statement of ValueScoring, before it is recorded as applied.
    { migration: MIGRATION_NAMES[1]!, statements: 3 },
  ])(
    "is completed at the next start ($migration after $statements statements)",
    async ({ migration, statements }) => {
      const db = await freshDatabase();
      await killHalfWay(db.url, migration, statements);
      const [applied] = await server.query(`SELECT name FROM \`${db.name}\`.migrations`);
      expect((applied as { name: string }[]).map((r) => r.name)).not.toContain(migration);
      const [[lock]] = (await server.query(
        `SELECT holder, started_migration FROM \`${db.name}\`.migrations_lock`,
      )) as unknown as [{ holder: string | null; started_migration: string | null }[]];
      expect(lock).toMatchObject({ started_migration: migration });
      expect(lock!.holder).not.toBeNull();
      const halfMade = await tablesOf(db.name);

      const lines: string[] = [];
      const started = Date.now();
      const dataSource = await openDatabase(configFor(db.url), { error: (m) => lines.push(m) });
      try {
        // The dead holder's heartbeat goes stale after 15 s; nothing else waits.
        expect(Date.now() - started).toBeLessThan(25_000);
        expect(lines.join("\n")).toMatch(/took over the migration lock from .*, silent for \d+ s/);
        expect(lines).toContain(`resuming migration ${migration}, interrupted earlier`);
        expect(lines).toContain(`applied migration ${migration}`);
        expect(halfMade.length).toBeLessThan((await tablesOf(db.name)).length);
        expect(await schemaOf(db.name)).toEqual(reference);
        const [rows] = await server.query(
          `SELECT name FROM \`${db.name}\`.migrations ORDER BY timestamp`,
        );
        expect((rows as { name: string }[]).map((r) => r.name)).toEqual(MIGRATION_NAMES);

        // And the database works: an import and a scoring run.
        const dir = mkdtempSync(path.join(tmpdir(), "vt-migrate-csv-"));
        const customersFile = path.join(dir, "customers.csv");
        const ordersFile = path.join(dir, "orders.csv");
        // Six customers, five of them repeat buyers: enough for the models to fit.
        const ids = [1, 2, 3, 4, 5, 6];
        writeFileSync(
          customersFile,
          "external_id,email,name,created_at,acquisition_channel,acquisition_cost\n" +
            ids
              .map(
                (i) =>
                  `C${i},c${i}@example.com,Customer ${i},2024-01-0${i}T10:00:00Z,organic,1.00\n`,
              )
              .join(""),
        );
        writeFileSync(
          ordersFile,
          "external_id,customer_external_id,placed_at,amount,margin,currency,status\n" +
            ids
              .flatMap((i) =>
                Array.from(
                  { length: i === 6 ? 1 : 1 + (i % 3) + 1 },
                  (_, k) =>
                    `O${i}-${k},C${i},2024-0${2 + k}-1${i}T10:00:00Z,${10 + i * k}.50,,USD,completed\n`,
                ),
              )
              .join(""),
        );
        const imported = await new ImportService(dataSource, { currency: "USD" }).importCsv({
          customersFile,
          ordersFile,
          actor: systemActor("test"),
        });
        expect(imported.errorCount).toBe(0);
        const run = await new ScoringRunService(dataSource, {
          currency: "USD",
          defaultMarginRate: "0.3",
        }).runNow(systemActor("test"));
        expect(run).toMatchObject({ status: "succeeded", customersScored: ids.length });
      } finally {
        await dataSource.destroy();
      }
    },
    90_000,
  );
});

describe("a database that TypeORM's own runner left half made", () => {
  it("is completed: the first pending migration is resumed", async () => {
    const db = await freshDatabase();
    const dataSource = createDataSource({ databaseUrl: db.url });
    await dataSource.initialize();
    // What TypeORM's runner did before it was killed: its migrations table, then the first
    // two statements of Initial (and no record of having started).
    await dataSource.query(
      "CREATE TABLE `migrations` (`id` int NOT NULL AUTO_INCREMENT, `timestamp` bigint NOT NULL, `name` varchar(255) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    const queryRunner = dataSource.createQueryRunner();
    let statements = 0;
    const killedAfterTwo = new Proxy(queryRunner, {
      get(target, property, receiver) {
        if (property !== "query") return Reflect.get(target, property, receiver);
        return async (...args: Parameters<QueryRunner["query"]>) => {
          if (++statements > 2) throw new Error("killed");
          return target.query(...args);
        };
      },
    });
    const Initial = migrations[0] as new () => MigrationInterface;
    await expect(new Initial().up(killedAfterTwo)).rejects.toThrow("killed");
    await queryRunner.release();
    await dataSource.destroy();

    const lines: string[] = [];
    await (await openDatabase(configFor(db.url), { error: (m) => lines.push(m) })).destroy();
    expect(lines).toContain(`resuming migration ${MIGRATION_NAMES[0]}, interrupted earlier`);
    expect(await schemaOf(db.name)).toEqual(reference);
  });
});

describe("two processes starting on a fresh database together", () => {
  it("apply each migration once", async () => {
    const db = await freshDatabase();
    const logs: string[][] = [[], []];
    const [a, b] = await Promise.all(
      logs.map((lines) => openDatabase(configFor(db.url), { error: (m) => lines.push(m) })),
    );
    await a!.destroy();
    await b!.destroy();
    const [rows] = await server.query(`SELECT name FROM \`${db.name}\`.migrations ORDER BY id`);
    expect((rows as { name: string }[]).map((r) => r.name)).toEqual(MIGRATION_NAMES);
    const applied = logs.flat().filter((line) => line.startsWith("applied migration"));
    expect(applied).toHaveLength(MIGRATION_NAMES.length);
    expect(await schemaOf(db.name)).toEqual(reference);
  });
});

describe("a database whose schema cannot be used", () => {
  async function failure(url: string, env: Record<string, string> = {}) {
    const started = Date.now();
    const error = await openDatabase(configFor(url, env), { error: () => undefined }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    return { error, ms: Date.now() - started };
  }

  it("is reported at once, with no connection left open, when migrations are not run", async () => {
    const db = await freshDatabase();
    const { error, ms } = await failure(db.url, { MIGRATIONS_RUN: "false" });
    expect(error?.message).toBe(
      `database ${db.url}: ${MIGRATION_NAMES.length} migrations are not applied (${MIGRATION_NAMES.join(", ")}): ` +
        "MIGRATIONS_RUN=false; start once with MIGRATIONS_RUN=true to apply them",
    );
    expect(ms).toBeLessThan(5_000);
    // An open pool is what kept `valuetier import` and `score` from exiting after the error.
    expect(await connectionsTo(db.name)).toBe(0);
  });

  it("is reported at once, every time, when tables of another application are in the way", async () => {
    const db = await freshDatabase();
    await server.query(`CREATE TABLE \`${db.name}\`.api_keys (id int PRIMARY KEY)`);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const { error, ms } = await failure(db.url);
      expect(error?.message).toMatch(
        /^database .*: migration Initial\d+ failed: Table 'api_keys' already exists \(the database already has what this migration makes, with no record of a run that was interrupted: it was not made by ValueTier's migrations\)$/,
      );
      expect(ms).toBeLessThan(5_000);
      expect(await connectionsTo(db.name)).toBe(0);
    }
  });

  it("is reported when a table is missing although every migration is recorded", async () => {
    const db = await freshDatabase();
    await (await openDatabase(configFor(db.url), { error: () => undefined })).destroy();
    await server.query(`DROP TABLE \`${db.name}\`.customer_values`);
    const { error } = await failure(db.url);
    expect(error?.message).toMatch(
      /: the tables customer_values are missing although every migration is recorded/,
    );
    expect(await connectionsTo(db.name)).toBe(0);
  });
});
