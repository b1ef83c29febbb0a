import { Readable } from "node:stream";
import type { EntityManager } from "typeorm";
import { insertAllNew, type SqlDialect, type SqlValue } from "../../db/sql-dialect";

/** The part of mysql2's callback connection (TypeORM's `databaseConnection`) used here. */
interface RawMysqlConnection {
  query(
    options: { sql: string; infileStreamFactory: (path: string) => Readable },
    callback: (
      error: Error | null,
      result: { affectedRows?: number; warningStatus?: number } | undefined,
    ) => void,
  ): void;
}

/** The server or the client refuses LOAD DATA LOCAL INFILE (local_infile OFF and the like). */
const REFUSED = new Set([1148, 3948, 3950, 4166]);

/** Whether the server refused LOCAL INFILE, so that the caller can write another way. */
export function isLocalInfileRefused(error: unknown): boolean {
  const errno = (error as { errno?: unknown }).errno;
  return typeof errno === "number" && REFUSED.has(errno);
}

// LOAD DATA's default text format: tab-separated, backslash escapes, \N for NULL.
const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPES = /[\\\t\n\r\0]/g;
const ESCAPED: Record<string, string> = {
  "\\": "\\\\",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
  "\0": "\\0",
};

function field(value: SqlValue): string {
  if (value === null) return "\\N";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    return String(value);
  }
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPES, (c) => ESCAPED[c]!) : value;
}

/** The rows as LOAD DATA text, a few thousand rows per piece so no giant string is built. */
function* tsv(width: number, values: readonly SqlValue[]): Generator<Buffer> {
  const ROWS_PER_PIECE = 2000;
  let piece = "";
  let rows = 0;
  for (let i = 0; i < values.length; i += width) {
    piece += field(values[i]!);
    for (let k = 1; k < width; k++) piece += "\t" + field(values[i + k]!);
    piece += "\n";
    if (++rows === ROWS_PER_PIECE) {
      yield Buffer.from(piece);
      piece = "";
      rows = 0;
    }
  }
  if (piece !== "") yield Buffer.from(piece);
}

const BACKSLASH = 0x5c;
const TAB = 0x09;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const DAY_MS = 86_400_000;

/**
 * Writes rows as LOAD DATA text straight into a buffer, value by value, for writers that know
 * their columns' types: no value array, no string per value or row (an order import writes a
 * million rows).
 */
export class TsvWriter {
  private buf: Buffer;
  private at = 0;
  private first = true;

  constructor(bytes = 1 << 16) {
    this.buf = Buffer.allocUnsafe(bytes);
  }

  /** Bytes written since the last {@link take}. */
  get length(): number {
    return this.at;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  private separate(): void {
    if (this.first) this.first = false;
    else this.buf[this.at++] = TAB;
  }

  /** Text, escaped (ASCII copied directly, the rest from its first other character as UTF-8). */
  text(value: string): void {
    this.room(value.length * 3 + 1);
    this.separate();
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        at += buf.write(field(value.slice(i)), at, "utf8");
        break;
      }
      if (code === BACKSLASH || code === TAB || code === NEWLINE || code === 0x0d || code === 0) {
        buf[at++] = BACKSLASH;
        buf[at++] = code === BACKSLASH ? BACKSLASH : ESCAPE_LETTER[code]!;
      } else {
        buf[at++] = code;
      }
    }
    this.at = at;
  }

  /** A safe integer, or NULL. */
  integer(value: number | null): void {
    this.room(18);
    this.separate();
    if (value === null) {
      this.buf[this.at++] = BACKSLASH;
      this.buf[this.at++] = 0x4e; // N
      return;
    }
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    let rest = value;
    if (rest < 0) {
      this.buf[this.at++] = 0x2d; // -
      rest = -rest;
    }
    let end = this.at + 1;
    for (let above = rest; above >= 10; above = Math.floor(above / 10)) end++;
    this.at = end;
    do {
      this.buf[--end] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }

  /** An instant as a UTC DATETIME(3), `YYYY-MM-DD HH:MM:SS.mmm`, as {@link sqlDateTime} writes it. */
  dateTime(date: Date): void {
    this.room(24);
    this.separate();
    const ms = date.getTime();
    const days = Math.floor(ms / DAY_MS);
    let rest = ms - days * DAY_MS;
    // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const dayOfEra = z - era * 146_097;
    const yearOfEra = Math.floor(
      (dayOfEra -
        Math.floor(dayOfEra / 1460) +
        Math.floor(dayOfEra / 36_524) -
        Math.floor(dayOfEra / 146_096)) /
        365,
    );
    const dayOfYear =
      dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
    const mp = Math.floor((5 * dayOfYear + 2) / 153);
    const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 1000 || year > 9999)
      throw new RangeError(`year out of range: ${date.toISOString()}`);
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    const buf = this.buf;
    const at = this.at;
    buf[at] = ZERO + Math.floor(year / 1000);
    buf[at + 1] = ZERO + (Math.floor(year / 100) % 10);
    buf[at + 2] = ZERO + (Math.floor(year / 10) % 10);
    buf[at + 3] = ZERO + (year % 10);
    buf[at + 4] = 0x2d;
    buf[at + 5] = ZERO + Math.floor(month / 10);
    buf[at + 6] = ZERO + (month % 10);
    buf[at + 7] = 0x2d;
    buf[at + 8] = ZERO + Math.floor(day / 10);
    buf[at + 9] = ZERO + (day % 10);
    buf[at + 10] = 0x20;
    buf[at + 11] = ZERO + Math.floor(hours / 10);
    buf[at + 12] = ZERO + (hours % 10);
    buf[at + 13] = 0x3a;
    buf[at + 14] = ZERO + Math.floor(minutes / 10);
    buf[at + 15] = ZERO + (minutes % 10);
    buf[at + 16] = 0x3a;
    buf[at + 17] = ZERO + Math.floor(seconds / 10);
    buf[at + 18] = ZERO + (seconds % 10);
    buf[at + 19] = 0x2e;
    buf[at + 20] = ZERO + Math.floor(millis / 100);
    buf[at + 21] = ZERO + (Math.floor(millis / 10) % 10);
    buf[at + 22] = ZERO + (millis % 10);
    this.at = at + 23;
  }

  /** Ends the row. */
  endRow(): void {
    this.room(1);
    this.buf[this.at++] = NEWLINE;
    this.first = true;
  }

  /** The text written so far (a copy); the writer starts again empty. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.at));
    this.at = 0;
    this.first = true;
    return out;
  }
}

const ESCAPE_LETTER: Record<number, number> = { 0x09: 0x74, 0x0a: 0x6e, 0x0d: 0x72, 0: 0x30 };

/** Rows to write as new: how many, their values for INSERT, and optionally their LOAD DATA text. */
export interface NewRows {
  count: number;
  values(): SqlValue[];
  /** The rows as LOAD DATA text in pieces; default: written from `values()`. */
  tsv?(): Iterable<Buffer>;
}

let loadNumber = 0;

/**
 * Inserts rows that should all be new with `LOAD DATA LOCAL INFILE`, streamed from memory on
 * the transaction's own connection: the server parses tab-separated text faster than a
 * multi-row INSERT of the same rows, and the client builds no SQL text. All or nothing like a
 * plain INSERT: LOAD DATA LOCAL skips rows that collide on a unique key and turns data errors
 * into warnings (it cannot stop the client's upload), so the rows are loaded after a savepoint
 * and rolled back to it when fewer than all went in or the server warned about any value; the
 * caller then writes them the careful way, where such errors are errors.
 *
 * @param manager the transaction's manager (MySQL/MariaDB).
 * @param table target table.
 * @param columns its columns, in the order of `values`.
 * @param values the rows' values one after another.
 * @returns true when every row was inserted; false, with nothing written, when one collided.
 * @throws the driver's error; {@link isLocalInfileRefused} tells a refusal of LOCAL INFILE.
 */
export async function loadAllNew(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  values: readonly SqlValue[],
): Promise<boolean> {
  return loadRows(manager, table, columns, values.length / columns.length, () =>
    tsv(columns.length, values),
  );
}

async function loadRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: number,
  pieces: () => Iterable<Buffer>,
): Promise<boolean> {
  const connection = (manager.queryRunner as unknown as { databaseConnection?: RawMysqlConnection })
    ?.databaseConnection;
  if (!connection) throw new Error("loadAllNew needs a transaction's MySQL connection");
  const name = `valuetier-import-${process.pid}-${++loadNumber}.tsv`;
  const sql =
    `LOAD DATA LOCAL INFILE '${name}' INTO TABLE \`${table}\` CHARACTER SET utf8mb4 ` +
    `(${columns.map((c) => `\`${c}\``).join(", ")})`;
  await manager.query("SAVEPOINT vt_load");
  const { affected, warnings } = await new Promise<{ affected: number; warnings: number }>(
    (resolve, reject) => {
      connection.query(
        {
          sql,
          // mysql2 copies Buffers out of the stream (not strings).
          infileStreamFactory: () => Readable.from(pieces(), { objectMode: false }),
        },
        (error, result) =>
          error
            ? reject(error)
            : resolve({
                affected: result?.affectedRows ?? 0,
                warnings: result?.warningStatus ?? 0,
              }),
      );
    },
  );
  if (affected === rows && warnings === 0) {
    await manager.query("RELEASE SAVEPOINT vt_load");
    return true;
  }
  await manager.query("ROLLBACK TO SAVEPOINT vt_load");
  return false;
}

/**
 * Writes chunks of rows that should all be new (a CSV import's fast path), all or nothing:
 * through {@link loadAllNew} on MySQL when `notice` is given, else as a plain INSERT. When the
 * server refuses LOCAL INFILE, `notice` is told once and INSERTs are used from then on. One per
 * import, for its orders (customers go in by INSERT: see CustomerBatchImporter).
 */
export class NewRowInserter {
  private localInfile: boolean;

  constructor(
    private readonly dialect: SqlDialect,
    private readonly notice?: (message: string) => void,
  ) {
    this.localInfile = notice !== undefined && dialect.driver === "mysql";
  }

  /**
   * Inserts rows that can write their LOAD DATA text themselves.
   * @returns true when every row was inserted; false, with nothing written, on a collision.
   */
  async insertRows(
    manager: EntityManager,
    table: string,
    columns: readonly string[],
    rows: NewRows,
  ): Promise<boolean> {
    if (this.localInfile) {
      try {
        return await loadRows(
          manager,
          table,
          columns,
          rows.count,
          rows.tsv ? () => rows.tsv!() : () => tsv(columns.length, rows.values()),
        );
      } catch (error) {
        if (!isLocalInfileRefused(error)) throw error;
        // Batches run side by side: only the first refusal is told.
        if (this.localInfile) {
          this.localInfile = false;
          this.notice!(
            `the server refuses LOAD DATA LOCAL INFILE (${(error as Error).message}); importing with INSERT statements instead (slower; allow local_infile for speed)`,
          );
        }
      }
    }
    return insertAllNew(manager, this.dialect, table, columns, rows.values());
  }
}
