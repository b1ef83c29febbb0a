import { escape as mysqlEscape } from "mysql2";
import type { DataSource, EntityManager } from "typeorm";
import { driverOf, type Driver } from "./data-source";

/** A value written into SQL: text, an integer, or NULL. */
export type SqlValue = string | number | null;

/** SQL text with the values it binds (none when they are written into the text). */
export interface SqlFragment {
  sql: string;
  params: SqlValue[] | undefined;
}

/**
 * The SQL that differs between MySQL/MariaDB and SQLite, in one place: bulk inserts and
 * upserts, joined bulk updates, IN lists, locking reads, how many values a statement binds and
 * how many write transactions may run at once. Everything else is plain SQL both accept.
 * (Other modules still hold a few branches of their own: see `driverOf` callers.)
 */
export interface SqlDialect {
  readonly driver: Driver;
  /** Most values an IN (…) list or a statement may bind. */
  readonly maxBoundValues: number;
  /** Rows per multi-row INSERT for rows of `columns` values, at most `wanted`. */
  rowsPerInsert(columns: number, wanted: number): number;
  /**
   * `INSERT INTO table (columns) VALUES …` that updates every column but `external_id` when a
   * row with the same external id exists.
   *
   * @param values the rows' values one after another, `columns.length` per row.
   */
  upsert(table: string, columns: readonly string[], values: readonly SqlValue[]): SqlFragment;
  /**
   * A plain `INSERT INTO table (columns) VALUES …`, which fails as a whole, leaving the
   * transaction usable, when a row collides with a stored one on a unique key
   * ({@link isDuplicateKeyError}).
   */
  insert(table: string, columns: readonly string[], values: readonly SqlValue[]): SqlFragment;
  /** The inside of an `IN (…)` list. */
  inList(values: readonly SqlValue[]): SqlFragment;
  /**
   * Appended to a SELECT inside a write transaction so that it reads the latest committed rows
   * and locks them until commit (" FOR UPDATE"). Empty for SQLite, whose one connection
   * already serialises every write transaction.
   */
  readonly forUpdate: string;
  /**
   * How many write transactions to run at once when `wanted` are asked for: 1 on SQLite,
   * whose single connection would only queue them.
   */
  parallelWrites(wanted: number): number;
  /**
   * `UPDATE table` from literal rows joined on their first column (the key): each row is
   * `columns.length` values, the key first; the other columns are set from the row, only where
   * `where` (SQL over `table`'s columns, qualified with the table name) holds. MySQL joins a
   * derived table of SELECTs (MySQL, MariaDB and TiDB differ in VALUES constructors), SQLite
   * uses UPDATE … FROM (VALUES …).
   */
  updateFromRows(
    table: string,
    columns: readonly string[],
    values: readonly SqlValue[],
    where: string,
  ): SqlFragment;
  /**
   * An integer member of a JSON text column as an SQL integer (NULL when the column or the
   * member is NULL), e.g. `jsonInteger("clawback_json", "requested")`. `column` and `member`
   * are SQL names written into the text, never user input.
   */
  jsonInteger(column: string, member: string): string;
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

// The characters mysql2's escape() rewrites (the same class as its escaper's).
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\0\b\t\n\r\x1a"'\\]/;

/**
 * A value as MySQL literal text, escaped exactly as mysql2 escapes bound values (mysql2's
 * query() formats values into the text on the client anyway). Written here directly because
 * mysql2's formatter scans the whole statement for placeholders, which for a 5,000-row INSERT
 * was the largest single cost of the import after CSV parsing.
 */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    return String(value);
  }
  return NEEDS_ESCAPE.test(value) ? mysqlEscape(value) : `'${value}'`;
}

function literalRows(columns: number, values: readonly SqlValue[]): string {
  const rows: string[] = [];
  for (let i = 0; i < values.length; i += columns) {
    let row = "(" + sqlLiteral(values[i]!);
    for (let k = 1; k < columns; k++) row += "," + sqlLiteral(values[i + k]!);
    rows.push(row + ")");
  }
  return rows.join(",");
}

const mysqlDialect: SqlDialect = {
  driver: "mysql",
  // Values are written into the statement text, so the limit is the packet size; a few
  // thousand rows of the import's width stay far below the 16 MB default.
  maxBoundValues: 50_000,
  rowsPerInsert: (_columns, wanted) => wanted,
  forUpdate: " FOR UPDATE",
  parallelWrites: (wanted) => wanted,
  inList: (values) => ({ sql: values.map(sqlLiteral).join(","), params: undefined }),
  updateFromRows(table, columns, values, where) {
    const width = columns.length;
    const rows: string[] = [];
    for (let i = 0; i < values.length; i += width) {
      const row = columns.map(
        (c, k) => sqlLiteral(values[i + k]!) + (i === 0 ? ` AS ${quote(c)}` : ""),
      );
      rows.push(`SELECT ${row.join(", ")}`);
    }
    const key = quote(columns[0]!);
    const set = columns
      .slice(1)
      .map((c) => `${quote(table)}.${quote(c)} = v.${quote(c)}`)
      .join(", ");
    return {
      sql:
        `UPDATE ${quote(table)} JOIN (${rows.join(" UNION ALL ")}) v ON v.${key} = ${quote(table)}.${key} ` +
        `SET ${set} WHERE ${where}`,
      params: undefined,
    };
  },
  upsert(table, columns, values) {
    const updates = columns
      .filter((c) => c !== "external_id")
      .map((c) => `${quote(c)} = VALUES(${quote(c)})`)
      .join(", ");
    // VALUES(col) rather than the 8.0.19 row alias: MariaDB does not support the alias, and
    // MySQL 8.x still accepts VALUES() here. updated_at changes by its ON UPDATE clause.
    return {
      sql:
        `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES ` +
        `${literalRows(columns.length, values)} ON DUPLICATE KEY UPDATE ${updates}`,
      params: undefined,
    };
  },
  insert: (table, columns, values) => ({
    sql:
      `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES ` +
      literalRows(columns.length, values),
    params: undefined,
  }),
  // MySQL's JSON_EXTRACT answers JSON and MariaDB's text: unquoted, both cast exactly.
  jsonInteger: (column, member) =>
    `CAST(JSON_UNQUOTE(JSON_EXTRACT(${column}, '$.${member}')) AS SIGNED)`,
};

// SQLite's default SQLITE_MAX_VARIABLE_NUMBER (32,766 since 3.32; better-sqlite3 12 ships 3.4x).
const SQLITE_MAX_VARIABLES = 32_766;

const sqliteDialect: SqlDialect = {
  driver: "sqlite",
  maxBoundValues: SQLITE_MAX_VARIABLES,
  rowsPerInsert: (columns, wanted) => Math.min(wanted, Math.floor(SQLITE_MAX_VARIABLES / columns)),
  forUpdate: "",
  parallelWrites: () => 1,
  inList: (values) => ({ sql: inList(values.length), params: [...values] }),
  updateFromRows(table, columns, values, where) {
    // The VALUES table's columns are column1, column2, … in SQLite.
    const set = columns
      .slice(1)
      .map((c, k) => `${quote(c)} = v.column${k + 2}`)
      .join(", ");
    return {
      sql:
        `UPDATE ${quote(table)} SET ${set} ` +
        `FROM (VALUES ${valuesList(columns.length, values.length / columns.length)}) AS v ` +
        `WHERE v.column1 = ${quote(table)}.${quote(columns[0]!)} AND ${where}`,
      params: [...values],
    };
  },
  upsert(table, columns, values) {
    const updates = columns
      .filter((c) => c !== "external_id")
      .map((c) => `${quote(c)} = excluded.${quote(c)}`)
      .join(", ");
    // No ON UPDATE clause in SQLite: set updated_at here, in the text form TypeORM stores.
    return {
      sql:
        `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES ` +
        `${valuesList(columns.length, values.length / columns.length)} ` +
        `ON CONFLICT(external_id) DO UPDATE SET ${updates}, ` +
        `updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now')`,
      params: [...values],
    };
  },
  insert: (table, columns, values) => ({
    sql:
      `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES ` +
      valuesList(columns.length, values.length / columns.length),
    params: [...values],
  }),
  jsonInteger: (column, member) => `CAST(json_extract(${column}, '$.${member}') AS INTEGER)`,
};

export function sqlDialect(dataSource: DataSource): SqlDialect {
  return driverOf(dataSource) === "sqlite" ? sqliteDialect : mysqlDialect;
}

function driverErrorField(error: unknown, field: "errno" | "code"): unknown {
  return (
    (error as Record<string, unknown>)[field] ??
    (error as { driverError?: Record<string, unknown> }).driverError?.[field]
  );
}

/**
 * A statement failed because a row collides with another on a unique key: MySQL's 1062, or
 * SQLite's UNIQUE / PRIMARY KEY constraint. Either way only the statement is undone.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const errno = driverErrorField(error, "errno");
  const code = driverErrorField(error, "code");
  return (
    errno === 1062 || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY"
  );
}

/**
 * Runs a plain INSERT of `values` (see {@link SqlDialect.insert}) in the caller's transaction.
 *
 * @returns true when every row was inserted; false, with nothing written, when a row collides
 *   with a stored one on a unique key.
 */
export async function insertAllNew(
  run: Pick<EntityManager, "query">,
  dialect: SqlDialect,
  table: string,
  columns: readonly string[],
  values: readonly SqlValue[],
): Promise<boolean> {
  const statement = dialect.insert(table, columns, values);
  try {
    await run.query(statement.sql, statement.params);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
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

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
const dayPrefixes = new Map<number, string>();

/**
 * 'YYYY-MM-DD HH:MM:SS.sss' in UTC: the same text as toSqlDateTime in db/sql-values, built
 * from integers with the date part cached per day, because the import formats a date for
 * every row (toISOString and two replacements cost a second per million rows).
 */
export function sqlDateTime(date: Date): string {
  const ms = date.getTime();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 100_000) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 10) + " ";
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}`;
}
