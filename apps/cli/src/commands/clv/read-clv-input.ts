import type { CustomerSummary, SummaryColumns, Transaction } from "@valuetier/domain";
import { CliError } from "../../cli-error";
import { readCsv, type CsvFields } from "./read-csv";

/** The two accepted input layouts (CONTRACTS.md "File formats"). */
export type InputFormat = "transactions" | "summary";

/** Parsed input; `lines[i]` is the file line of record i, for error messages. */
export type ClvInput =
  | {
      format: "summary";
      /** Customer ids in file order. */
      ids: CustomerIds;
      /** The summaries column by column (`monetary` when the file has spend), not yet validated. */
      columns: SummaryColumns;
      lines: Int32Array;
      hasSpend: boolean;
    }
  | { format: "transactions"; transactions: Transaction[]; lines: Int32Array; lastDay: number };

/** Header names (lower-cased) and the field they mean; lifetimes-style aliases included. */
const SUMMARY_COLUMNS: Record<string, keyof CustomerSummary> = {
  customer_id: "customerId",
  id: "customerId",
  frequency: "frequency",
  x: "frequency",
  recency: "recency",
  t_x: "recency",
  t: "T",
  monetary_value: "monetary",
  monetary: "monetary",
  zbar: "monetary",
};
const TRANSACTION_COLUMNS = ["customer_id", "date", "amount"] as const;

const MS_PER_DAY = 86_400_000;
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses a date given as YYYY-MM-DD or ISO 8601 into a UTC day number. For a timestamp the
 * calendar date as written counts (a purchase at 23:30 local time belongs to that local day).
 *
 * @returns the day number, or undefined when the text is not a valid date.
 */
export function parseDay(text: string): number | undefined {
  const match = ISO_DATE.exec(text.trim());
  if (!match) return undefined;
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const check = new Date(ms);
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(m) - 1 ||
    check.getUTCDate() !== Number(d)
  ) {
    return undefined; // e.g. 2024-02-30
  }
  if (text.length > 10 && Number.isNaN(Date.parse(text.trim()))) return undefined;
  return ms / MS_PER_DAY;
}

/** A Float64Array that doubles as it fills, so a million rows never become a million objects. */
class GrowingColumn {
  values = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }
  done(): Float64Array {
    return this.values.slice(0, this.length);
  }
}

/** What the commands need of a list of customer ids. */
export interface CustomerIdList {
  readonly length: number;
  at(index: number): string | undefined;
}

/**
 * Customer ids kept as their UTF-8 bytes one after another and decoded when asked for: a
 * million ids read from a summary file are not a million strings for the garbage collector to
 * copy while the file is read and fitted (`clv fit` only needs one for an error message).
 */
export class CustomerIds implements CustomerIdList {
  length = 0;
  private bytes = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private ends = new Int32Array(1024);

  /** Appends field k of the row, trimmed; false (nothing added) when it is empty. */
  pushField(row: CsvFields, k: number): boolean {
    const room = row.maxBytes(k);
    if (this.used + room > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + room));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    const n = row.copyTrimmed(k, this.bytes, this.used);
    if (n === 0) return false;
    if (this.length === this.ends.length) {
      const bigger = new Int32Array(this.ends.length * 2);
      bigger.set(this.ends);
      this.ends = bigger;
    }
    this.used += n;
    this.ends[this.length++] = this.used;
    return true;
  }

  at(index: number): string | undefined {
    if (!(index >= 0 && index < this.length)) return undefined;
    return this.bytes.toString("utf8", index === 0 ? 0 : this.ends[index - 1]!, this.ends[index]!);
  }

  /** Every id as a string, in order. */
  toArray(): string[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i)!);
  }
}

/** Field k as a decimal number, or a CliError naming the line and column. */
function numberField(row: CsvFields, k: number, path: string, column: string): number {
  const value = row.number(k);
  if (Number.isNaN(value)) {
    throw new CliError(
      `${path} line ${row.line}: ${column} must be a number, got ${JSON.stringify(row.trimmed(k))}`,
    );
  }
  return value;
}

/**
 * Reads a transactions or summary CSV with the import's reader (same quoting, encoding checks,
 * line numbers and messages). The format is taken from `format` or, when absent, detected from
 * the header (a `date` column means transactions). Summaries are read straight into columns.
 *
 * @param path CSV file.
 * @param format expected layout, optional.
 * @returns the parsed records with their line numbers.
 * @throws {CliError} for a missing file, unknown or missing columns, and bad values (with the
 *   line number).
 */
export async function readClvInput(
  path: string,
  format: InputFormat | undefined,
): Promise<ClvInput> {
  let detected: InputFormat | undefined = format;
  const transactions: Transaction[] = [];
  const ids = new CustomerIds();
  let lines = new Int32Array(1024);
  let count = 0;
  let index: number[] = [];
  /** Field index of customerId, frequency, recency, T, monetary (-1: absent). */
  let at = { customerId: -1, frequency: -1, recency: -1, T: -1, monetary: -1 };
  const frequency = new GrowingColumn();
  const recency = new GrowingColumn();
  const T = new GrowingColumn();
  const monetary = new GrowingColumn();
  let hasSpend = false;
  let lastDay = Number.NEGATIVE_INFINITY;

  const onHeader = (fields: string[]): void => {
    const header = fields.map((h) => h.trim());
    const lower = header.map((h) => h.toLowerCase());
    detected ??= lower.includes("date") ? "transactions" : "summary";
    if (detected === "transactions") {
      index = TRANSACTION_COLUMNS.map((name) => lower.indexOf(name));
      const missing = TRANSACTION_COLUMNS.filter((_, k) => index[k] === -1);
      if (missing.length > 0) {
        throw new CliError(
          `${path}: transactions need the columns customer_id,date,amount; missing ${missing.join(", ")} (header: ${header.join(",")})`,
        );
      }
      return;
    }
    const summaryFields = lower.map((name) => SUMMARY_COLUMNS[name]);
    const unknown = header.filter((_, k) => summaryFields[k] === undefined);
    if (unknown.length > 0) {
      throw new CliError(
        `${path}: unknown summary column(s) ${unknown.join(", ")}; expected customer_id,frequency,recency,T[,monetary_value] (or ID,x,t_x,T,zbar)`,
      );
    }
    const need: (keyof CustomerSummary)[] = ["customerId", "frequency", "recency", "T"];
    const missing = need.filter((f) => !summaryFields.includes(f));
    if (missing.length > 0) {
      throw new CliError(
        `${path}: summary is missing column(s) for ${missing.join(", ")} (header: ${header.join(",")})`,
      );
    }
    const duplicate = summaryFields.find((f, k) => summaryFields.indexOf(f) !== k);
    if (duplicate !== undefined) {
      throw new CliError(
        `${path}: two columns give ${duplicate} (header: ${header.join(",")}); keep one`,
      );
    }
    at = {
      customerId: summaryFields.indexOf("customerId"),
      frequency: summaryFields.indexOf("frequency"),
      recency: summaryFields.indexOf("recency"),
      T: summaryFields.indexOf("T"),
      monetary: summaryFields.indexOf("monetary"),
    };
    hasSpend = at.monetary !== -1;
  };

  const onRow = (row: CsvFields): void => {
    const line = row.line;
    if (count === lines.length) {
      const bigger = new Int32Array(lines.length * 2);
      bigger.set(lines);
      lines = bigger;
    }
    lines[count++] = line;
    if (detected === "transactions") {
      const id = row.trimmed(index[0]!);
      if (!id) throw new CliError(`${path} line ${line}: customer_id is empty`);
      const dateText = row.trimmed(index[1]!);
      const day = parseDay(dateText);
      if (day === undefined) {
        throw new CliError(
          `${path} line ${line}: date must be YYYY-MM-DD or ISO 8601, got ${JSON.stringify(dateText)}`,
        );
      }
      const amount = numberField(row, index[2]!, path, "amount");
      if (amount < 0)
        throw new CliError(
          `${path} line ${line}: amount is negative (${row.trimmed(index[2]!)}); refunds are not purchases`,
        );
      if (day > lastDay) lastDay = day;
      transactions.push({ customerId: id, date: day, amount });
      return;
    }
    if (!ids.pushField(row, at.customerId)) {
      throw new CliError(`${path} line ${line}: customer id is empty`);
    }
    frequency.push(numberField(row, at.frequency, path, "frequency"));
    recency.push(numberField(row, at.recency, path, "recency"));
    T.push(numberField(row, at.T, path, "T"));
    if (hasSpend) monetary.push(numberField(row, at.monetary, path, "monetary_value"));
  };

  await readCsv(path, onHeader, onRow);
  if (count === 0) throw new CliError(`${path} has a header but no data rows`);
  const usedLines = lines.slice(0, count);
  if (detected === "transactions") {
    return { format: "transactions", transactions, lines: usedLines, lastDay };
  }
  const columns: SummaryColumns = {
    frequency: frequency.done(),
    recency: recency.done(),
    T: T.done(),
  };
  if (hasSpend) columns.monetary = monetary.done();
  return { format: "summary", ids, columns, lines: usedLines, hasSpend };
}
