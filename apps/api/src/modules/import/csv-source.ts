import { createReadStream } from "node:fs";
import { parse, type CsvError } from "csv-parse";
import type { ColumnSpec, ImportFieldError, ImportRecord } from "@valuetier/domain";
import { ImportFileError } from "./import-errors";
import { Utf8Guard } from "./utf8-guard";

/** One data row of a CSV file. */
export interface CsvRow {
  /** Physical line where the row starts, 1-based as an editor shows it (the header is line 1). */
  line: number;
  /** Column name → text for the spec's columns; null when the row cannot be read at all. */
  record: ImportRecord | null;
  /** Why the row cannot be read (invalid UTF-8, wrong number of fields, broken quoting). */
  problem: ImportFieldError | null;
}

export interface CsvStreamOptions<T> {
  /** How many rows to hand over at a time. */
  batchSize: number;
  /**
   * Turns each row into what the batch holds, as soon as it is read (validation): the raw
   * fields then die young instead of waiting in a batch, which keeps the heap small.
   */
  accept: (row: CsvRow) => T;
  /**
   * Receives the accepted rows in file order. Reading pauses until the returned promise
   * settles, so memory stays bounded by a batch plus the parser's buffer.
   */
  onBatch: (items: T[]) => Promise<void>;
}

export interface CsvStreamSummary {
  /** Data rows handed over (blank lines are skipped and not counted). */
  rows: number;
}

interface Header {
  /** For each column of the spec present in the file: its name and field index. */
  columns: { name: string; index: number }[];
  width: number;
}

const LF = "\n";

function countLf(text: string): number {
  let count = 0;
  let at = text.indexOf(LF);
  while (at !== -1) {
    count++;
    at = text.indexOf(LF, at + 1);
  }
  return count;
}

function readHeader(fields: string[], spec: ColumnSpec, file: string, invalid: boolean): Header {
  if (invalid) {
    throw new ImportFileError("INVALID_ENCODING", file, "the header line is not valid UTF-8");
  }
  const names = fields.map((f) => f.trim().toLowerCase());
  const seen = new Set<string>();
  for (const name of names) {
    if (name !== "" && seen.has(name)) {
      throw new ImportFileError(
        "DUPLICATE_COLUMN",
        file,
        `column "${name}" appears twice in the header`,
      );
    }
    seen.add(name);
  }
  const missing = spec.required.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new ImportFileError(
      "MISSING_COLUMNS",
      file,
      `missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ` +
        `(the header has: ${names.join(", ") || "nothing"})`,
    );
  }
  const known = [...spec.required, ...spec.optional];
  return {
    columns: known.filter((c) => seen.has(c)).map((name) => ({ name, index: names.indexOf(name) })),
    width: fields.length,
  };
}

function isBlank(fields: string[]): boolean {
  if (fields.length === 1) return fields[0]!.trim() === "";
  return fields.every((f) => f.trim() === "");
}

function fileError(error: NodeJS.ErrnoException, file: string): ImportFileError {
  if (error.code === "ENOENT") return new ImportFileError("FILE_NOT_FOUND", file, "file not found");
  return new ImportFileError("UNREADABLE", file, `cannot read the file (${error.message})`);
}

/**
 * Streams a CSV import file (UTF-8, header row, optional BOM) in batches of rows, never holding
 * the whole file. The header is checked first: a missing required column, a duplicate column,
 * an undecodable header or an empty file rejects the whole file with an {@link ImportFileError}
 * before any row is handed over. Rows that cannot be read get a `problem` and keep their line.
 *
 * Line numbers are physical lines: a quoted field with line breaks makes the next row start
 * further down, and blank lines are skipped but counted.
 *
 * @param file path of the CSV file (also used in messages).
 * @param spec required and optional columns; other columns are ignored.
 * @param options batch size and the consumer.
 * @returns how many data rows were read.
 * @throws {ImportFileError} for an unusable file; errors of `onBatch` are passed on.
 */
export function streamCsvRows<T>(
  file: string,
  spec: ColumnSpec,
  options: CsvStreamOptions<T>,
): Promise<CsvStreamSummary> {
  return new Promise<CsvStreamSummary>((resolve, reject) => {
    const skipped: CsvError[] = [];
    const guard = new Utf8Guard();
    // relax_quotes reads a stray quote inside an unquoted field (O"Brien) as text instead of
    // failing the rest of the file; relax_column_count lets rows with the wrong number of
    // fields through so that they are reported with their line instead of stopping the parse.
    const parser = parse({
      relax_column_count: true,
      relax_quotes: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error) skipped.push(error);
      },
    });
    const source = createReadStream(file, { highWaterMark: 1 << 20 });
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      source.destroy();
      guard.destroy();
      parser.destroy();
      reject(error);
    };
    source.on("error", (error) => fail(fileError(error, file)));
    guard.on("error", fail);
    parser.on("error", fail);

    let header: Header | null = null;
    let nextLine = 1;
    let invalidAt = 0;
    let rowCount = 0;
    let batch: T[] = [];

    const hasInvalidBytes = (first: number, last: number): boolean => {
      const lines = guard.invalidLines;
      while (invalidAt < lines.length && lines[invalidAt]! < first) invalidAt++;
      return invalidAt < lines.length && lines[invalidAt]! <= last;
    };

    parser.on("data", (fields: string[]) => {
      if (settled) return;
      try {
        const line = nextLine;
        let breaks = 0;
        if (guard.sawQuote) for (const field of fields) breaks += countLf(field);
        nextLine = line + 1 + breaks;
        const invalid = guard.invalidLines.length > 0 && hasInvalidBytes(line, line + breaks);
        if (header === null) {
          header = readHeader(fields, spec, file, invalid);
          return;
        }
        if (isBlank(fields)) return;
        rowCount++;
        batch.push(options.accept(toRow(header, fields, line, invalid)));
        if (batch.length >= options.batchSize) {
          const full = batch;
          batch = [];
          parser.pause();
          options.onBatch(full).then(() => {
            if (!settled) parser.resume();
          }, fail);
        }
      } catch (error) {
        fail(error);
      }
    });

    parser.on("end", () => {
      if (settled) return;
      if (header === null) {
        fail(new ImportFileError("EMPTY_FILE", file, "the file is empty (no header row)"));
        return;
      }
      for (const error of skipped) {
        // With relaxed quoting the parser only gives up on a quote that is never closed, at
        // the end of the input; the row that opened it starts at the next line.
        const reported = (error as { lines?: unknown }).lines;
        const line =
          error.code !== "CSV_QUOTE_NOT_CLOSED" && typeof reported === "number"
            ? reported
            : nextLine;
        rowCount++;
        batch.push(
          options.accept({
            line,
            record: null,
            problem: {
              field: null,
              code: "MALFORMED_CSV",
              message:
                error.code === "CSV_QUOTE_NOT_CLOSED"
                  ? `a quoted field opened on line ${line} is never closed, so lines ${line} to the end were not read`
                  : `malformed CSV: ${error.message}`,
            },
          }),
        );
      }
      const last = batch;
      batch = [];
      (last.length > 0 ? options.onBatch(last) : Promise.resolve()).then(() => {
        if (settled) return;
        settled = true;
        resolve({ rows: rowCount });
      }, fail);
    });

    source.pipe(guard).pipe(parser);
  });
}

function toRow(header: Header, fields: string[], line: number, invalid: boolean): CsvRow {
  if (invalid) {
    return {
      line,
      record: null,
      problem: {
        field: null,
        code: "INVALID_ENCODING",
        message: "the line is not valid UTF-8 text",
      },
    };
  }
  if (fields.length !== header.width) {
    return {
      line,
      record: null,
      problem: {
        field: null,
        code: "WRONG_FIELD_COUNT",
        message: `has ${fields.length} field${fields.length === 1 ? "" : "s"}, the header has ${header.width}`,
      },
    };
  }
  const record: Record<string, string> = {};
  for (const column of header.columns) record[column.name] = fields[column.index]!;
  return { line, record, problem: null };
}

/**
 * Reads only the header of a CSV file and checks it, so that both files of an import can be
 * checked before anything is written.
 *
 * @throws {ImportFileError} as {@link streamCsvRows} does for the header.
 */
export async function checkCsvHeader(file: string, spec: ColumnSpec): Promise<void> {
  const stop = new Error("header checked");
  try {
    await streamCsvRows(file, spec, {
      batchSize: 1,
      accept: () => null,
      onBatch: () => Promise.reject(stop),
    });
  } catch (error) {
    if (error !== stop) throw error;
  }
}
