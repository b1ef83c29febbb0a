import { createReadStream } from "node:fs";
import type { ColumnSpec, ImportFieldError, ImportRecord } from "@valuetier/domain";
import { ImportFileError } from "./import-errors";
import { Utf8Guard } from "./utf8-guard";
import { CsvFields } from "./csv-fields";

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
   * settles, so memory stays bounded by the accepted rows of one read chunk (1 MiB of text)
   * plus the parser's buffer.
   */
  onBatch: (items: T[]) => Promise<void>;
  /**
   * Optionally, given the header's columns, a reader that accepts a line without a double
   * quote straight from its bytes (`buf[start, end)`, valid UTF-8, line end excluded) and
   * returns what `accept` would, or undefined to leave the line to `accept` (anything it does
   * not read exactly as `accept` would: unusual formats, errors).
   */
  lineReader?: (
    header: CsvHeader,
  ) => ((buf: Buffer, start: number, end: number, line: number) => T | undefined) | undefined;
}

/** The columns of a file's header that an import reads. */
export interface CsvHeader {
  /** For each column of the spec present in the file: its name and field index. */
  columns: readonly { name: string; index: number }[];
  /** Fields per line. */
  width: number;
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

const LF_BYTE = 0x0a;
const CR_BYTE = 0x0d;
const QUOTE_BYTE = 0x22;
const COMMA_BYTE = 0x2c;

/** One record as the tokenizer found it. */
export type CsvRecord =
  | { ok: true; fields: string[]; line: number; breaks: number }
  | { ok: false; line: number; breaks: number; message: string };

/**
 * Reads the record that starts at `start` and holds a double quote, byte by byte (RFC 4180:
 * a field that starts with a quote runs to the matching quote, `""` inside it being one
 * quote, and may hold commas and line breaks; a quote inside an unquoted field is text).
 * Returns null when the buffer ends inside the record and more input may follow.
 */
function quotedRecord(
  buf: Buffer,
  start: number,
  line: number,
  final: boolean,
): { record: CsvRecord; next: number } | null {
  const fields: string[] = [];
  let breaks = 0;
  let at = start;
  for (;;) {
    // At the start of a field.
    if (buf[at] === QUOTE_BYTE) {
      const openedOn = line + breaks;
      let text = "";
      let from = at + 1;
      let closed = -1;
      for (let i = from; ;) {
        const quote = buf.indexOf(QUOTE_BYTE, i);
        breaks += countLf(buf, i, quote === -1 ? buf.length : quote);
        if (quote === -1) break;
        if (buf[quote + 1] === QUOTE_BYTE) {
          text += buf.toString("utf8", from, quote + 1);
          from = i = quote + 2;
        } else if (quote + 1 < buf.length || final) {
          closed = quote;
          break;
        } else {
          return null; // the next byte decides: "" or the end of the field
        }
      }
      if (closed === -1) {
        if (!final) return null;
        return {
          record: {
            ok: false,
            line,
            breaks,
            message: `a quoted field opened on line ${openedOn} is never closed, so lines ${openedOn} to the end were not read`,
          },
          next: buf.length,
        };
      }
      fields.push(text + buf.toString("utf8", from, closed));
      at = closed + 1;
      const after = buf[at];
      if (after === COMMA_BYTE) {
        at++;
        continue;
      }
      if (after === undefined && final)
        return { record: { ok: true, fields, line, breaks }, next: at };
      if (after === LF_BYTE) return { record: { ok: true, fields, line, breaks }, next: at + 1 };
      if (after === CR_BYTE && buf[at + 1] === LF_BYTE) {
        return { record: { ok: true, fields, line, breaks }, next: at + 2 };
      }
      if (after === undefined || (after === CR_BYTE && at + 1 >= buf.length && !final)) {
        return null;
      }
      // Text after a closing quote: the record is unreadable up to the end of its line.
      const lf = buf.indexOf(LF_BYTE, at);
      if (lf === -1 && !final) return null;
      return {
        record: {
          ok: false,
          line,
          breaks,
          message:
            "malformed CSV: a quoted field must be followed by a comma or the end of the line",
        },
        next: lf === -1 ? buf.length : lf + 1,
      };
    }
    // An unquoted field: up to the next comma or line break.
    let i = at;
    while (i < buf.length && buf[i] !== COMMA_BYTE && buf[i] !== LF_BYTE) i++;
    if (i === buf.length && !final) return null;
    if (buf[i] === COMMA_BYTE) {
      fields.push(buf.toString("utf8", at, i));
      at = i + 1;
      continue;
    }
    const end = i > at && buf[i - 1] === CR_BYTE ? i - 1 : i;
    fields.push(buf.toString("utf8", at, end));
    return { record: { ok: true, fields, line, breaks }, next: i === buf.length ? i : i + 1 };
  }
}

/** Line feeds in buf[from, to). */
function countLf(buf: Buffer, from: number, to: number): number {
  let count = 0;
  for (
    let at = buf.indexOf(LF_BYTE, from);
    at !== -1 && at < to;
    at = buf.indexOf(LF_BYTE, at + 1)
  ) {
    count++;
  }
  return count;
}

/** The longest record the tokenizer waits for; the longest valid one is a few kilobytes. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Splits CSV bytes into records. Lines without a double quote (nearly all of a machine-made
 * file) are decoded once and split on commas; a record with a quote goes through
 * {@link quotedRecord}. Carries an incomplete record over to the next chunk.
 */
export class CsvTokenizer {
  private carry: Buffer = Buffer.alloc(0);
  /** Physical line (1-based) where the next record starts. */
  line = 1;
  /**
   * Set when the rest of the input cannot be read: a quoted field that runs past
   * `maxRecordBytes` (a stray opening quote) leaves no way to tell where records start again.
   */
  stopped = false;
  /** Inside a line longer than `maxRecordBytes`, already reported: skipped up to its end. */
  private skipping = false;

  constructor(private readonly maxRecordBytes = MAX_RECORD_BYTES) {}

  /** The complete records of `chunk` (and what was carried over); `final` at the end of input. */
  *records(chunk: Buffer, final: boolean): Generator<CsvRecord> {
    const out: CsvRecord[] = [];
    this.scan(
      chunk,
      final,
      (buf, start, end, line) => {
        out.push({
          ok: true,
          fields: buf.toString("utf8", start, end).split(","),
          line,
          breaks: 0,
        });
      },
      (record) => {
        out.push(record);
      },
    );
    yield* out;
  }

  /**
   * Like {@link records}, but hands a line without a double quote over as its bytes
   * (`buf[start, end)`, line end excluded), so that a reader after numbers can parse them in
   * place instead of decoding every field to a string first. Other records go to `onRecord`.
   * `buf` is only valid during the call.
   */
  scan(
    chunk: Buffer,
    final: boolean,
    onLine: (buf: Buffer, start: number, end: number, line: number) => void,
    onRecord: (record: CsvRecord) => void,
  ): void {
    if (this.stopped) return;
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let at = 0;
    if (this.skipping) {
      const lf = buf.indexOf(LF_BYTE);
      if (lf === -1) {
        this.carry = Buffer.alloc(0);
        return;
      }
      this.skipping = false;
      this.line++;
      at = lf + 1;
    }
    let quote = buf.indexOf(QUOTE_BYTE, at);
    let waitingInQuotes = false;
    while (at < buf.length) {
      const lf = buf.indexOf(LF_BYTE, at);
      if (quote !== -1 && quote < at) quote = buf.indexOf(QUOTE_BYTE, at);
      if (quote !== -1 && (lf === -1 || quote < lf)) {
        const found = quotedRecord(buf, at, this.line, final);
        if (found === null) {
          waitingInQuotes = true;
          break;
        }
        this.line += 1 + found.record.breaks;
        at = found.next;
        onRecord(found.record);
        continue;
      }
      if (lf === -1 && !final) break;
      const stop = lf === -1 ? buf.length : lf;
      const end = stop > at && buf[stop - 1] === CR_BYTE ? stop - 1 : stop;
      const line = this.line++;
      const start = at;
      at = lf === -1 ? buf.length : lf + 1;
      onLine(buf, start, end, line);
    }
    this.carry = Buffer.alloc(0);
    if (at >= buf.length) return;
    if (buf.length - at <= this.maxRecordBytes) {
      this.carry = Buffer.from(buf.subarray(at));
      return;
    }
    const mib = this.maxRecordBytes / (1 << 20);
    const limit = Number.isInteger(mib) ? `${mib} MiB` : `${this.maxRecordBytes} bytes`;
    if (waitingInQuotes) {
      this.stopped = true;
      onRecord({
        ok: false,
        line: this.line,
        breaks: 0,
        message: `a quoted field on line ${this.line} does not close within ${limit}, so lines ${this.line} to the end were not read`,
      });
    } else {
      this.skipping = true;
      onRecord({
        ok: false,
        line: this.line,
        breaks: 0,
        message: `malformed CSV: the line is longer than ${limit}`,
      });
    }
  }
}

/**
 * Streams a CSV import file (UTF-8, header row, optional BOM) in batches of rows, never holding
 * the whole file. The header is checked first: a missing required column, a duplicate column,
 * an undecodable header or an empty file rejects the whole file with an {@link ImportFileError}
 * before any row is handed over. Rows that cannot be read get a `problem` and keep their line.
 *
 * Line numbers are physical lines: a quoted field with line breaks makes the next row start
 * further down, and blank lines are skipped but counted. Quoting follows RFC 4180, with two
 * allowances: LF or CRLF line ends, and a quote inside an unquoted field (O"Brien) is text.
 *
 * @param file path of the CSV file (also used in messages).
 * @param spec required and optional columns; other columns are ignored.
 * @param options batch size and the consumer.
 * @returns how many data rows were read.
 * @throws {ImportFileError} for an unusable file; errors of `onBatch` are passed on.
 */
export async function streamCsvRows<T>(
  file: string,
  spec: ColumnSpec,
  options: CsvStreamOptions<T>,
): Promise<CsvStreamSummary> {
  const guard = new Utf8Guard();
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  source.on("error", (error) => guard.destroy(fileError(error, file)));
  source.pipe(guard);
  const tokenizer = new CsvTokenizer();

  let header: Header | null = null;
  let invalidAt = 0;
  let rowCount = 0;
  let batch: T[] = [];
  const hasInvalidBytes = (first: number, last: number): boolean => {
    const lines = guard.invalidLines;
    while (invalidAt < lines.length && lines[invalidAt]! < first) invalidAt++;
    return invalidAt < lines.length && lines[invalidAt]! <= last;
  };
  const take = (record: CsvRecord): void => {
    const invalid =
      guard.invalidLines.length > 0 && hasInvalidBytes(record.line, record.line + record.breaks);
    if (header === null) {
      if (!record.ok) {
        throw new ImportFileError(
          "MALFORMED_HEADER",
          file,
          `the header line cannot be read: ${record.message}`,
        );
      }
      header = readHeader(record.fields, spec, file, invalid);
      return;
    }
    if (record.ok && isBlank(record.fields)) return;
    rowCount++;
    batch.push(
      options.accept(
        record.ok
          ? toRow(header, record.fields, record.line, invalid)
          : {
              line: record.line,
              record: null,
              problem: { field: null, code: "MALFORMED_CSV", message: record.message },
            },
      ),
    );
  };

  // Each row is accepted as soon as the tokenizer finds it, so that its raw fields die young
  // (not kept with the rest of the chunk's records); full batches are handed over after each
  // chunk, which bounds what waits to a chunk's rows (1 MiB of text).
  const full: T[][] = [];
  let reader:
    ((buf: Buffer, start: number, end: number, line: number) => T | undefined) | undefined;
  let readerFor: Header | null = null;
  const onLine = (buf: Buffer, start: number, end: number, line: number): void => {
    if (header !== null && options.lineReader !== undefined) {
      if (readerFor !== header) {
        readerFor = header;
        reader = options.lineReader(header);
      }
      if (reader !== undefined && !(guard.invalidLines.length > 0 && hasInvalidBytes(line, line))) {
        const item = reader(buf, start, end, line);
        if (item !== undefined) {
          rowCount++;
          batch.push(item);
          if (batch.length >= options.batchSize) {
            full.push(batch);
            batch = [];
          }
          return;
        }
      }
    }
    take({ ok: true, fields: buf.toString("utf8", start, end).split(","), line, breaks: 0 });
    if (batch.length >= options.batchSize) {
      full.push(batch);
      batch = [];
    }
  };
  const onRecord = (record: CsvRecord): void => {
    take(record);
    if (batch.length >= options.batchSize) {
      full.push(batch);
      batch = [];
    }
  };
  try {
    const chunks = guard[Symbol.asyncIterator]();
    for (;;) {
      const next = await chunks.next();
      const chunk: Buffer = next.done ? Buffer.alloc(0) : (next.value as Buffer);
      tokenizer.scan(chunk, next.done === true, onLine, onRecord);
      for (let ready = full.shift(); ready !== undefined; ready = full.shift()) {
        await options.onBatch(ready);
      }
      if (next.done || tokenizer.stopped) break;
    }
    if (header === null) {
      throw new ImportFileError("EMPTY_FILE", file, "the file is empty (no header row)");
    }
    if (batch.length > 0) await options.onBatch(batch);
    return { rows: rowCount };
  } finally {
    source.destroy();
    guard.destroy();
  }
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

/** What {@link readCsvFile} calls for each part of a file. */
export interface CsvFileVisitor {
  /** The header's fields, as written (not trimmed). */
  onHeader: (fields: string[]) => void;
  /** Each data row that could be read; blank lines are skipped. */
  onRow: (row: CsvFields) => void;
  /**
   * A record that cannot be read (broken quoting, an over-long line), with the tokenizer's
   * message; rows with a wrong field count or invalid UTF-8 go to `onRow` for the reader to
   * judge (`row.count`, `row.invalidUtf8`).
   */
  onProblem: (line: number, message: string) => void;
}

/**
 * Reads a CSV file (UTF-8, header row, optional BOM) with the import's tokenizer and hands
 * over every row in order without holding the file: the reader of every other CSV input
 * (`valuetier clv …`), so that quoting, line numbers, encoding checks and messages are the
 * same as the import's. Rows are views over the bytes read ({@link CsvFields}), so a reader
 * after numbers allocates nothing per field.
 *
 * @param file path of the CSV file (also used in messages).
 * @param visitor receives the header, the rows and unreadable records.
 * @returns how many data rows were handed over.
 * @throws {ImportFileError} FILE_NOT_FOUND, UNREADABLE, EMPTY_FILE, MALFORMED_HEADER or
 *   INVALID_ENCODING (header); errors thrown by the visitor are passed on.
 */
export async function readCsvFile(
  file: string,
  visitor: CsvFileVisitor,
): Promise<CsvStreamSummary> {
  const guard = new Utf8Guard();
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  source.on("error", (error) => guard.destroy(fileError(error, file)));
  source.pipe(guard);
  const tokenizer = new CsvTokenizer();
  const row = new CsvFields();
  let headerSeen = false;
  let rows = 0;
  let invalidAt = 0;
  const invalid = (first: number, last: number): boolean => {
    const lines = guard.invalidLines;
    if (lines.length === 0) return false;
    while (invalidAt < lines.length && lines[invalidAt]! < first) invalidAt++;
    return invalidAt < lines.length && lines[invalidAt]! <= last;
  };
  const header = (fields: string[], line: number): void => {
    headerSeen = true;
    if (invalid(line, line)) {
      throw new ImportFileError("INVALID_ENCODING", file, "the header line is not valid UTF-8");
    }
    visitor.onHeader(fields);
  };
  const onLine = (buf: Buffer, start: number, end: number, line: number): void => {
    if (!headerSeen) return header(buf.toString("utf8", start, end).split(","), line);
    row.setBytes(buf, start, end, line, invalid(line, line));
    if (row.blank()) return;
    rows++;
    visitor.onRow(row);
  };
  const onRecord = (record: CsvRecord): void => {
    if (!record.ok) {
      if (!headerSeen) {
        throw new ImportFileError(
          "MALFORMED_HEADER",
          file,
          `the header line cannot be read: ${record.message}`,
        );
      }
      rows++;
      visitor.onProblem(record.line, record.message);
      return;
    }
    if (!headerSeen) return header(record.fields, record.line);
    row.setTexts(record.fields, record.line, invalid(record.line, record.line + record.breaks));
    if (row.blank()) return;
    rows++;
    visitor.onRow(row);
  };
  try {
    const chunks = guard[Symbol.asyncIterator]();
    for (;;) {
      const next = await chunks.next();
      const chunk: Buffer = next.done ? Buffer.alloc(0) : (next.value as Buffer);
      tokenizer.scan(chunk, next.done === true, onLine, onRecord);
      if (next.done || tokenizer.stopped) break;
    }
    if (!headerSeen) {
      throw new ImportFileError("EMPTY_FILE", file, "the file is empty (no header row)");
    }
    return { rows };
  } finally {
    source.destroy();
    guard.destroy();
  }
}
