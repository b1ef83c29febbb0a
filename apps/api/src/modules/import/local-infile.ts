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
  const connection = (manager.queryRunner as unknown as { databaseConnection?: RawMysqlConnection })
    ?.databaseConnection;
  if (!connection) throw new Error("loadAllNew needs a transaction's MySQL connection");
  const rows = values.length / columns.length;
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
          infileStreamFactory: () =>
            Readable.from(tsv(columns.length, values), { objectMode: false }),
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
 * import, shared by its customer and order writers.
 */
export class NewRowInserter {
  private localInfile: boolean;

  constructor(
    private readonly dialect: SqlDialect,
    private readonly notice?: (message: string) => void,
  ) {
    this.localInfile = notice !== undefined && dialect.driver === "mysql";
  }

  /** @returns true when every row was inserted; false, with nothing written, on a collision. */
  async insertAll(
    manager: EntityManager,
    table: string,
    columns: readonly string[],
    values: readonly SqlValue[],
  ): Promise<boolean> {
    if (this.localInfile) {
      try {
        return await loadAllNew(manager, table, columns, values);
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
    return insertAllNew(manager, this.dialect, table, columns, values);
  }
}
