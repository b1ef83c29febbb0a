import type { CustomerSummary, Transaction } from "@valuetier/domain";
import { CliError } from "../../cli-error";
import { readCsv } from "./read-csv";

/** The two accepted input layouts (CONTRACTS.md "File formats"). */
export type InputFormat = "transactions" | "summary";

/** Parsed input; `lines[i]` is the file line of record i, for error messages. */
export type ClvInput =
  | { format: "summary"; summaries: CustomerSummary[]; lines: number[]; hasSpend: boolean }
  | { format: "transactions"; transactions: Transaction[]; lines: number[]; lastDay: number };

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
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
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

/** Parses a decimal number field, or throws a CliError naming the line and column. */
function parseNumber(text: string, path: string, line: number, column: string): number {
  if (!NUMBER.test(text)) {
    throw new CliError(
      `${path} line ${line}: ${column} must be a number, got ${JSON.stringify(text)}`,
    );
  }
  return Number(text);
}

/**
 * Reads a transactions or summary CSV. The format is taken from `format` or, when absent,
 * detected from the header (a `date` column means transactions).
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
  const summaries: CustomerSummary[] = [];
  const transactions: Transaction[] = [];
  const lines: number[] = [];
  let index: number[] = [];
  let summaryFields: (keyof CustomerSummary)[] = [];
  let hasSpend = false;
  let lastDay = Number.NEGATIVE_INFINITY;

  await readCsv(
    path,
    (header) => {
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
      summaryFields = lower.map((name) => SUMMARY_COLUMNS[name]!);
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
      hasSpend = summaryFields.includes("monetary");
    },
    ({ fields, line }) => {
      lines.push(line);
      if (detected === "transactions") {
        const [id, dateText, amountText] = index.map((k) => fields[k]!);
        if (!id) throw new CliError(`${path} line ${line}: customer_id is empty`);
        const day = parseDay(dateText!);
        if (day === undefined) {
          throw new CliError(
            `${path} line ${line}: date must be YYYY-MM-DD or ISO 8601, got ${JSON.stringify(dateText)}`,
          );
        }
        const amount = parseNumber(amountText!, path, line, "amount");
        if (amount < 0)
          throw new CliError(
            `${path} line ${line}: amount is negative (${amountText}); refunds are not purchases`,
          );
        if (day > lastDay) lastDay = day;
        transactions.push({ customerId: id, date: day, amount });
        return;
      }
      const row: Partial<CustomerSummary> = {};
      summaryFields.forEach((field, k) => {
        const text = fields[k]!;
        if (field === "customerId") {
          if (!text) throw new CliError(`${path} line ${line}: customer id is empty`);
          row.customerId = text;
        } else {
          row[field] = parseNumber(
            text,
            path,
            line,
            field === "monetary" ? "monetary_value" : field,
          );
        }
      });
      summaries.push(row as CustomerSummary);
    },
  );
  if (lines.length === 0) throw new CliError(`${path} has a header but no data rows`);
  return detected === "transactions"
    ? { format: "transactions", transactions, lines, lastDay }
    : { format: "summary", summaries, lines, hasSpend };
}
