import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { DataSource, MigrationInterface, QueryRunner } from "typeorm";

/*
 * Why not TypeORM's runMigrations: MySQL and MariaDB commit every DDL statement at once, so the
 * transaction TypeORM opens around a migration rolls nothing back. A process killed half way
 * through a migration leaves some of its tables made and no row in `migrations`; TypeORM then
 * runs the migration again from the top, its first CREATE TABLE fails with "already exists", and
 * the database stays half made for good. Two processes starting together (API and CLI, two API
 * replicas) also run the same migration twice.
 *
 * This runner keeps TypeORM's `migrations` table (one row per applied migration, same columns,
 * so TypeORM's own tools still read it) and adds one row in `migrations_lock`:
 *
 * - `holder` + `heartbeat_at`: a lock across processes as a row (no GET_LOCK, which TiDB, Vitess
 *   and Galera do not share across nodes). The holder refreshes `heartbeat_at` every few seconds;
 *   a row whose heartbeat is older than `staleAfterMs` (by the database's clock, so client
 *   clocks do not matter) belongs to a process that is gone and is taken over.
 * - `started_migration`: written before a migration's first statement and cleared in the same
 *   transaction that records it in `migrations` (after DDL the two statements may commit apart;
 *   a marker naming a recorded migration is simply cleared). A marker left behind names the
 *   migration that a crash (or a failed statement) interrupted. That one is run again "resuming": statements
 *   that fail because their work is already there (table or column or index exists, or is
 *   already dropped) are skipped, the rest run. CREATE TABLE and ALTER TABLE are atomic in
 *   MySQL 8 and MariaDB 10.6+, so each statement is either done or not. A migration that mixes
 *   DDL with data statements must keep its data statements safe to run twice (only the DDL
 *   parts commit early; a migration of data statements alone commits as one transaction with
 *   its `migrations` row, as with TypeORM).
 *
 * Databases migrated before this runner existed have `migrations` but no `migrations_lock`:
 * TypeORM's runner recorded nothing when it started, so the first pending migration is resumed
 * there, which repairs a database left half made by it.
 */

/** MySQL/MariaDB errors that mean a DDL statement's work is already done. */
const ALREADY_DONE_ERRNOS = new Set([
  1050, // ER_TABLE_EXISTS_ERROR: CREATE TABLE of a table that exists
  1051, // ER_BAD_TABLE_ERROR: DROP TABLE of a table already dropped
  1060, // ER_DUP_FIELDNAME: ADD COLUMN of a column that exists
  1061, // ER_DUP_KEYNAME: CREATE INDEX / ADD INDEX of an index that exists
  1068, // ER_MULTIPLE_PRI_KEY: ADD PRIMARY KEY where it exists
  1091, // ER_CANT_DROP_FIELD_OR_KEY: DROP COLUMN / INDEX / FOREIGN KEY already dropped
  1826, // ER_FK_DUP_NAME: ADD CONSTRAINT of a foreign key that exists (MySQL 8)
]);

const MIGRATIONS_TABLE = "migrations";
const LOCK_TABLE = "migrations_lock";

export interface MigrationRunOptions {
  log?: Pick<Console, "error">;
  /** How long to wait for another live process that holds the lock; default 5 minutes. */
  lockWaitMs?: number;
  /** A holder whose heartbeat is older than this is gone; default 15 s. */
  staleAfterMs?: number;
  /** How often the holder refreshes its heartbeat; default 2 s. */
  heartbeatMs?: number;
  /**
   * Called after every statement of a migration, with the count of statements run so far in
   * it. For tests that kill the process at a known point half way through a migration.
   */
  afterStatement?: (migration: string, statements: number) => Promise<void> | void;
}

/** A migration could not be applied (or the lock could not be had); the message says which. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

interface NamedMigration {
  name: string;
  timestamp: number;
  instance: MigrationInterface;
}

function errnoOf(error: unknown): number | undefined {
  const e = error as { errno?: unknown; driverError?: { errno?: unknown } } | null;
  const errno = e?.driverError?.errno ?? e?.errno;
  return typeof errno === "number" ? errno : undefined;
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

/** The migrations of the data source in the order they apply (TypeORM's rule: name ends in a 13-digit timestamp). */
export function migrationsInOrder(dataSource: DataSource): NamedMigration[] {
  const list = dataSource.migrations.map((instance) => {
    const name = instance.name ?? instance.constructor.name;
    const timestamp = Number(name.slice(-13));
    if (!Number.isInteger(timestamp)) {
      throw new MigrationError(
        `migration ${name}: the class name must end in a 13-digit timestamp`,
      );
    }
    return { name, timestamp, instance };
  });
  return list.sort((a, b) => a.timestamp - b.timestamp);
}

async function tableExists(dataSource: DataSource, table: string): Promise<boolean> {
  const rows: unknown[] = await dataSource.query(
    "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
    [table],
  );
  return rows.length > 0;
}

async function appliedNames(dataSource: DataSource): Promise<Set<string>> {
  const rows: { name: string }[] = await dataSource.query(
    `SELECT name FROM \`${MIGRATIONS_TABLE}\``,
  );
  return new Set(rows.map((r) => r.name));
}

/**
 * The migrations of the data source not yet recorded in the database, in order (all of them
 * when the database has no `migrations` table).
 */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const all = migrationsInOrder(dataSource);
  if (!(await tableExists(dataSource, MIGRATIONS_TABLE))) return all.map((m) => m.name);
  const applied = await appliedNames(dataSource);
  return all.filter((m) => !applied.has(m.name)).map((m) => m.name);
}

interface LockRow {
  holder: string | null;
  started_migration: string | null;
  age_ms: number | string | null;
}

async function readLock(dataSource: DataSource): Promise<LockRow> {
  const rows: LockRow[] = await dataSource.query(
    `SELECT holder, started_migration, TIMESTAMPDIFF(MICROSECOND, heartbeat_at, NOW(3)) / 1000 AS age_ms FROM \`${LOCK_TABLE}\` WHERE id = 1`,
  );
  return rows[0] ?? { holder: null, started_migration: null, age_ms: null };
}

function affectedRows(result: unknown): number {
  const r = result as { affectedRows?: number } | [unknown, number] | undefined;
  if (Array.isArray(r)) return typeof r[1] === "number" ? r[1] : 0;
  return r?.affectedRows ?? 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Applies the pending migrations of a MySQL/MariaDB data source, one process at a time,
 * resuming one that a crash interrupted (see the comment at the top of this file). Resolves to
 * the names of the migrations applied; throws {@link MigrationError} with a one-line message.
 */
export async function runPendingMigrations(
  dataSource: DataSource,
  options: MigrationRunOptions = {},
): Promise<string[]> {
  const log = options.log ?? console;
  const lockWaitMs = options.lockWaitMs ?? 5 * 60_000;
  const staleAfterMs = options.staleAfterMs ?? 15_000;
  const heartbeatMs = options.heartbeatMs ?? 2_000;
  const all = migrationsInOrder(dataSource);

  const hadMigrationsTable = await tableExists(dataSource, MIGRATIONS_TABLE);
  if (hadMigrationsTable) {
    const applied = await appliedNames(dataSource);
    if (all.every((m) => applied.has(m.name))) return [];
  }
  const hadLockTable = await tableExists(dataSource, LOCK_TABLE);
  await dataSource.query(
    `CREATE TABLE IF NOT EXISTS \`${MIGRATIONS_TABLE}\` (\`id\` int NOT NULL AUTO_INCREMENT, \`timestamp\` bigint NOT NULL, \`name\` varchar(255) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
  );
  await dataSource.query(
    `CREATE TABLE IF NOT EXISTS \`${LOCK_TABLE}\` (\`id\` tinyint NOT NULL, \`holder\` varchar(255) NULL, \`heartbeat_at\` datetime(3) NULL, \`started_migration\` varchar(255) NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
  );
  // The row is made once; INSERT IGNORE lets two processes starting together both try.
  await dataSource.query(`INSERT IGNORE INTO \`${LOCK_TABLE}\` (id) VALUES (1)`);
  if (hadMigrationsTable && !hadLockTable) {
    // Last migrated by TypeORM's runner (see the top of this file): if it was killed, the first
    // pending migration is the one it was in.
    const applied = await appliedNames(dataSource);
    const first = all.find((m) => !applied.has(m.name));
    if (first) {
      await dataSource.query(
        `UPDATE \`${LOCK_TABLE}\` SET started_migration = ? WHERE id = 1 AND started_migration IS NULL`,
        [first.name],
      );
    }
  }

  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`.slice(0, 255);
  await acquireLock(dataSource, holder, { lockWaitMs, staleAfterMs, log });
  let lost = false;
  const heartbeat = setInterval(() => {
    dataSource
      .query(`UPDATE \`${LOCK_TABLE}\` SET heartbeat_at = NOW(3) WHERE id = 1 AND holder = ?`, [
        holder,
      ])
      .then(
        (result) => {
          if (affectedRows(result) === 0) lost = true;
        },
        // A missed beat is retried at the next tick; staleAfterMs allows for several.
        () => undefined,
      );
  }, heartbeatMs);
  heartbeat.unref();

  const done: string[] = [];
  try {
    // Read again under the lock: another process may have applied some while this one waited.
    const applied = await appliedNames(dataSource);
    const lock = await readLock(dataSource);
    let started = lock.started_migration;
    if (started !== null && !all.some((m) => m.name === started)) {
      throw new MigrationError(
        `the database was being migrated to ${started}, a migration this version of ValueTier does not have: ` +
          `run the version that has it`,
      );
    }
    if (started !== null && applied.has(started)) {
      // Recorded, but killed before the marker was cleared (DDL commits on its own, see above).
      await clearMarker(dataSource, holder);
      started = null;
    }
    for (const migration of all) {
      if (applied.has(migration.name)) continue;
      if (lost) {
        throw new MigrationError(
          `lost the migration lock (no heartbeat for ${staleAfterMs / 1000} s) before ${migration.name}: ` +
            `another process took over`,
        );
      }
      const resuming = started === migration.name;
      if (started !== null && !resuming) {
        throw new MigrationError(
          `migration ${started} was interrupted but ${migration.name} comes before it and is not applied: ` +
            `the migrations table was edited by hand`,
        );
      }
      if (resuming) log.error(`resuming migration ${migration.name}, interrupted earlier`);
      await applyOne(dataSource, migration, holder, resuming, options.afterStatement);
      started = null;
      done.push(migration.name);
      log.error(`applied migration ${migration.name}`);
    }
    return done;
  } finally {
    clearInterval(heartbeat);
    await dataSource
      .query(`UPDATE \`${LOCK_TABLE}\` SET holder = NULL WHERE id = 1 AND holder = ?`, [holder])
      .catch(() => undefined);
  }
}

async function clearMarker(dataSource: DataSource, holder: string): Promise<void> {
  await dataSource.query(
    `UPDATE \`${LOCK_TABLE}\` SET started_migration = NULL WHERE id = 1 AND holder = ?`,
    [holder],
  );
}

async function acquireLock(
  dataSource: DataSource,
  holder: string,
  options: { lockWaitMs: number; staleAfterMs: number; log: Pick<Console, "error"> },
): Promise<void> {
  const since = Date.now();
  let told = false;
  for (;;) {
    const before = await readLock(dataSource);
    const result = await dataSource.query(
      `UPDATE \`${LOCK_TABLE}\` SET holder = ?, heartbeat_at = NOW(3) WHERE id = 1 AND (holder IS NULL OR heartbeat_at IS NULL OR TIMESTAMPDIFF(MICROSECOND, heartbeat_at, NOW(3)) > ?)`,
      [holder, options.staleAfterMs * 1000],
    );
    if (affectedRows(result) === 1) {
      if (before.holder !== null) {
        options.log.error(
          `took over the migration lock from ${before.holder}, silent for ${Math.round(Number(before.age_ms) / 1000)} s`,
        );
      }
      return;
    }
    const waited = Date.now() - since;
    if (waited >= options.lockWaitMs) {
      throw new MigrationError(
        `gave up after ${Math.round(waited / 1000)} s waiting for ${before.holder ?? "another process"} ` +
          `to finish applying migrations${before.started_migration ? ` (${before.started_migration})` : ""}`,
      );
    }
    if (!told) {
      told = true;
      options.log.error(
        `waiting for ${before.holder ?? "another process"}, which is applying migrations` +
          `${before.started_migration ? ` (${before.started_migration})` : ""}`,
      );
    }
    await sleep(500);
  }
}

/**
 * Runs one migration in a transaction together with its `migrations` row and the clearing of
 * the marker; resuming, statements whose work is already there are skipped.
 */
async function applyOne(
  dataSource: DataSource,
  migration: NamedMigration,
  holder: string,
  resuming: boolean,
  afterStatement: MigrationRunOptions["afterStatement"],
): Promise<void> {
  const marked = await dataSource.query(
    `UPDATE \`${LOCK_TABLE}\` SET started_migration = ? WHERE id = 1 AND holder = ?`,
    [migration.name, holder],
  );
  if (affectedRows(marked) !== 1) {
    throw new MigrationError(`lost the migration lock before ${migration.name}`);
  }
  const queryRunner = dataSource.createQueryRunner();
  let statements = 0;
  const runner = new Proxy(queryRunner, {
    get(target, property, receiver) {
      if (property !== "query") return Reflect.get(target, property, receiver);
      return async (...args: Parameters<QueryRunner["query"]>) => {
        let result: unknown;
        try {
          result = await target.query(...args);
        } catch (error) {
          if (!resuming || !ALREADY_DONE_ERRNOS.has(errnoOf(error) ?? 0)) throw error;
          result = undefined;
        }
        statements += 1;
        await afterStatement?.(migration.name, statements);
        return result;
      };
    },
  });
  try {
    await queryRunner.startTransaction();
    await migration.instance.up(runner);
    await queryRunner.query(
      `INSERT INTO \`${MIGRATIONS_TABLE}\` (\`timestamp\`, \`name\`) VALUES (?, ?)`,
      [migration.timestamp, migration.name],
    );
    await queryRunner.query(
      `UPDATE \`${LOCK_TABLE}\` SET started_migration = NULL WHERE id = 1 AND holder = ?`,
      [holder],
    );
    await queryRunner.commitTransaction();
  } catch (error) {
    if (queryRunner.isTransactionActive)
      await queryRunner.rollbackTransaction().catch(() => undefined);
    if (error instanceof MigrationError) throw error;
    if (statements === 0 && !resuming) {
      // Nothing of it was applied (its first statement failed): no marker, so that the next
      // start does not take what is in the way for this migration's own half-done work.
      await clearMarker(dataSource, holder).catch(() => undefined);
    }
    const hint =
      !resuming && ALREADY_DONE_ERRNOS.has(errnoOf(error) ?? 0)
        ? " (the database already has what this migration makes, with no record of a run that " +
          "was interrupted: it was not made by ValueTier's migrations)"
        : " (statements before it stay applied: MySQL commits DDL at once; the next start resumes this migration)";
    throw new MigrationError(`migration ${migration.name} failed: ${messageOf(error)}${hint}`);
  } finally {
    await queryRunner.release();
  }
}
