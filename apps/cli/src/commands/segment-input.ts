import {
  daysPerUnit,
  roundHalfEvenNumber,
  toMinorUnits,
  validateSummaryColumns,
  type TimeUnit,
} from "@valuetier/domain";
import { CliError } from "../cli-error";
import { toCliError } from "./clv/clv-options";
import { readClvInput, type InputFormat } from "./clv/read-clv-input";
import { readCsv } from "./clv/read-csv";

/**
 * One row per customer, as RFM and the default K-Means features see them: days since the last
 * order, number of orders, and spend in minor units.
 */
export interface RfmColumns {
  ids: string[];
  /** File line of each customer's first record, for error messages. */
  lines: number[];
  recencyDays: Float64Array;
  orders: Float64Array;
  spendMinor: Float64Array;
}

/**
 * Per-customer recency, frequency and spend from a `clv` input file.
 *
 * Transactions: each row is one order; recency counts days from the customer's last order to
 * the last order day in the file (the observation end), frequency counts orders (RFM ranks
 * baskets, not BG/NBD's purchase days), spend is the sum of the amounts in minor units.
 *
 * Summary: recency is T − recency (the time since the last purchase, in `timeUnit`, turned
 * into days), frequency is the repeat purchases + 1 (the first purchase), and spend is
 * monetary_value × frequency, because a summary only records the average value of repeat
 * purchases; so a summary needs a monetary_value column.
 *
 * @throws {CliError} for unreadable input, naming the file and line.
 */
export async function readRfmColumns(
  path: string,
  format: InputFormat | undefined,
  timeUnit: TimeUnit,
  decimals: number,
): Promise<RfmColumns> {
  const input = await readClvInput(path, format);
  const scale = 10 ** decimals;
  if (input.format === "summary") {
    if (!input.hasSpend) {
      throw new CliError(
        `${path}: a summary needs a monetary_value column for RFM and K-Means (spend is one of the three features)`,
      );
    }
    try {
      validateSummaryColumns(input.columns, (row) => input.ids.at(row)!);
    } catch (error) {
      throw toCliError(error, path, input.lines);
    }
    const { frequency, recency, T, monetary } = input.columns;
    const n = input.ids.length;
    const days = daysPerUnit(timeUnit);
    const recencyDays = new Float64Array(n);
    const orders = new Float64Array(n);
    const spendMinor = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      recencyDays[i] = Math.max(0, (T[i]! - recency[i]!) * days);
      orders[i] = frequency[i]! + 1;
      spendMinor[i] = roundHalfEvenNumber(monetary![i]! * frequency[i]! * scale);
    }
    return {
      ids: input.ids.toArray(),
      lines: Array.from(input.lines),
      recencyDays,
      orders,
      spendMinor,
    };
  }
  const byId = new Map<string, number>();
  const ids: string[] = [];
  const lines: number[] = [];
  const lastDay: number[] = [];
  const orderCount: number[] = [];
  const spend: number[] = [];
  input.transactions.forEach((t, row) => {
    // readClvInput gives day numbers; the domain's Transaction also allows a Date.
    const day = typeof t.date === "number" ? t.date : t.date.getTime() / 86_400_000;
    let i = byId.get(t.customerId);
    if (i === undefined) {
      i = ids.length;
      byId.set(t.customerId, i);
      ids.push(t.customerId);
      lines.push(input.lines[row]!);
      lastDay.push(day);
      orderCount.push(0);
      spend.push(0);
    }
    if (day > lastDay[i]!) lastDay[i] = day;
    orderCount[i]! += 1;
    // Each amount to whole minor units first, so that the total is the sum of the amounts
    // as written (29.33 is 2933 cents, not 2932.9999…).
    spend[i]! += roundHalfEvenNumber(t.amount * scale);
  });
  const n = ids.length;
  const recencyDays = new Float64Array(n);
  for (let i = 0; i < n; i++) recencyDays[i] = input.lastDay - lastDay[i]!;
  return {
    ids,
    lines,
    recencyDays,
    orders: Float64Array.from(orderCount),
    spendMinor: Float64Array.from(spend),
  };
}

/** Finds the customer id column (customer_id or id) in a header, lower-cased. */
function idColumn(path: string, header: string[], lower: string[]): number {
  const at = lower.indexOf("customer_id");
  const id = at !== -1 ? at : lower.indexOf("id");
  if (id === -1) {
    throw new CliError(
      `${path}: no customer_id column (header: ${header.join(",")}); every row needs the customer it is about`,
    );
  }
  return id;
}

/**
 * Reads the named numeric columns (matched case-insensitively) for `--features`, row-major.
 *
 * @throws {CliError} for a missing column, an empty or non-numeric value (with line and column).
 */
export async function readFeatureColumns(
  path: string,
  features: string[],
): Promise<{ ids: string[]; points: Float64Array; dimensions: number }> {
  const ids: string[] = [];
  const values: number[] = [];
  let at: number[] = [];
  let idAt = -1;
  await readCsv(
    path,
    (fields) => {
      const header = fields.map((h) => h.trim());
      const lower = header.map((h) => h.toLowerCase());
      idAt = idColumn(path, header, lower);
      at = features.map((f) => lower.indexOf(f.toLowerCase()));
      const missing = features.filter((_, j) => at[j] === -1);
      if (missing.length > 0) {
        throw new CliError(
          `${path}: --features names column(s) ${missing.join(", ")} that the file does not have (header: ${header.join(",")})`,
        );
      }
    },
    (row) => {
      const id = row.trimmed(idAt);
      if (!id) throw new CliError(`${path} line ${row.line}: customer_id is empty`);
      ids.push(id);
      at.forEach((k, j) => {
        const value = row.number(k);
        if (!Number.isFinite(value)) {
          throw new CliError(
            `${path} line ${row.line}: ${features[j]} must be a number, got ${JSON.stringify(row.trimmed(k))}`,
          );
        }
        values.push(value);
      });
    },
  );
  if (ids.length === 0) throw new CliError(`${path} has a header but no data rows`);
  return { ids, points: Float64Array.from(values), dimensions: features.length };
}

/**
 * Reads customer_id and clv (a decimal amount in currency units, empty when not scored, as
 * `valuetier clv score --out` writes it) in minor units, exactly.
 *
 * @throws {CliError} for a missing column or a value that is not an amount in the currency.
 */
export async function readClvColumn(
  path: string,
  decimals: number,
): Promise<{ ids: string[]; clvMinor: (bigint | null)[] }> {
  const ids: string[] = [];
  const clvMinor: (bigint | null)[] = [];
  let idAt = -1;
  let clvAt = -1;
  await readCsv(
    path,
    (fields) => {
      const header = fields.map((h) => h.trim());
      const lower = header.map((h) => h.toLowerCase());
      idAt = idColumn(path, header, lower);
      clvAt = lower.indexOf("clv");
      if (clvAt === -1) {
        throw new CliError(
          `${path}: --method percentile needs a clv column, e.g. the file of valuetier clv score --out (header: ${header.join(",")})`,
        );
      }
    },
    (row) => {
      const id = row.trimmed(idAt);
      if (!id) throw new CliError(`${path} line ${row.line}: customer_id is empty`);
      ids.push(id);
      const text = row.trimmed(clvAt);
      if (text === "") {
        clvMinor.push(null);
        return;
      }
      try {
        clvMinor.push(toMinorUnits(text, decimals, "clv"));
      } catch (error) {
        throw new CliError(`${path} line ${row.line}: ${(error as Error).message}`);
      }
    },
  );
  if (ids.length === 0) throw new CliError(`${path} has a header but no data rows`);
  return { ids, clvMinor };
}
