import type { DataSource } from "typeorm";
import { driverOf, type Driver } from "../../db/data-source";

/**
 * The SQL that differs between MySQL/MariaDB and SQLite for the import, in one place.
 * Everything else the import runs is plain SQL both accept.
 */
export interface SqlDialect {
  readonly driver: Driver;
  /** Most values an IN (…) list or a statement may bind. */
  readonly maxBoundValues: number;
  /** Rows per multi-row INSERT for rows of `columns` values, at most `wanted`. */
  rowsPerInsert(columns: number, wanted: number): number;
  /**
   * `INSERT INTO table (columns) VALUES (?, …), … ` that updates every column but
   * `external_id` when a row with the same external id exists.
   */
  upsertSql(table: string, columns: readonly string[], rows: number): string;
}

const placeholderCache = new Map<string, string>();

/** "(?, ?, ?), (?, ?, ?)" for `rows` rows of `columns` values, cached (batches repeat sizes). */
function valuesList(columns: number, rows: number): string {
  const key = `${columns}x${rows}`;
  let sql = placeholderCache.get(key);
  if (sql === undefined) {
    const row = `(${Array.from({ length: columns }, () => "?").join(",")})`;
    sql = Array.from({ length: rows }, () => row).join(",");
    if (placeholderCache.size > 64) placeholderCache.clear();
    placeholderCache.set(key, sql);
  }
  return sql;
}

const quote = (name: string) => `\`${name}\``;

const mysqlDialect: SqlDialect = {
  driver: "mysql",
  // mysql2's query() formats values into the text on the client, so the limit is the packet
  // size; a few thousand rows of the import's width stay far below the 16 MB default.
  maxBoundValues: 50_000,
  rowsPerInsert: (_columns, wanted) => wanted,
  upsertSql(table, columns, rows) {
    const updates = columns
      .filter((c) => c !== "external_id")
      .map((c) => `${quote(c)} = VALUES(${quote(c)})`)
      .join(", ");
    // VALUES(col) rather than the 8.0.19 row alias: MariaDB does not support the alias, and
    // MySQL 8.x still accepts VALUES() here. updated_at changes by its ON UPDATE clause.
    return (
      `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES ` +
      `${valuesList(columns.length, rows)} ON DUPLICATE KEY UPDATE ${updates}`
    );
  },
};

// SQLite's default SQLITE_MAX_VARIABLE_NUMBER (32,766 since 3.32; better-sqlite3 12 ships 3.4x).
const SQLITE_MAX_VARIABLES = 32_766;

const sqliteDialect: SqlDialect = {
  driver: "sqlite",
  maxBoundValues: SQLITE_MAX_VARIABLES,
  rowsPerInsert: (columns, wanted) => Math.min(wanted, Math.floor(SQLITE_MAX_VARIABLES / columns)),
  upsertSql(table, columns, rows) {
    const updates = columns
      .filter((c) => c !== "external_id")
      .map((c) => `${quote(c)} = excluded.${quote(c)}`)
      .join(", ");
    // No ON UPDATE clause in SQLite: set updated_at here, in the text form TypeORM stores.
    return (
      `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES ` +
      `${valuesList(columns.length, rows)} ON CONFLICT(external_id) DO UPDATE SET ${updates}, ` +
      `updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now')`
    );
  },
};

export function sqlDialect(dataSource: DataSource): SqlDialect {
  return driverOf(dataSource) === "sqlite" ? sqliteDialect : mysqlDialect;
}

/** "?, ?, ?" for an IN list of n values. */
export function inList(n: number): string {
  return n === 1 ? "?" : "?" + ",?".repeat(n - 1);
}

/** Splits `items` into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
