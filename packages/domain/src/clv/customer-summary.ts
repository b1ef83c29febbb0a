import { ClvError } from "./clv-error";

/**
 * The per-customer calibration summary BG/NBD and Gamma-Gamma are fitted on (FHL 2005 notation
 * in brackets), all times in one time unit:
 * - `frequency` (x): repeat transactions, i.e. distinct purchase days after the first;
 * - `recency` (t_x): time of the last repeat transaction after the first purchase (0 if x = 0);
 * - `T`: age at the end of calibration, time from the first purchase;
 * - `monetary` (m̄): mean value of the repeat transactions, in currency units. This is a
 *   statistical model input and may be a binary float; it is never stored or reported as money.
 *   Omitted when the input has no spend; 0 when x = 0.
 */
export interface CustomerSummary {
  customerId: string;
  frequency: number;
  recency: number;
  T: number;
  monetary?: number;
}

/** The same summaries column by column, as the fitting code consumes them (fast and compact). */
export interface SummaryColumns {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** Present when every customer has a monetary value. */
  monetary?: Float64Array;
}

/**
 * Validates per-customer summaries and converts them to columns.
 *
 * @param summaries one row per customer.
 * @returns the columns; `monetary` only when every row has it.
 * @throws {ClvError} EMPTY_INPUT for no rows; INVALID_NUMBER for NaN, infinite or non-numeric
 *   values; INVALID_SUMMARY for a non-integer or negative frequency, recency outside [0, T],
 *   recency ≠ 0 with frequency 0, or a negative monetary value (message names the row and
 *   customer).
 * @example
 * toSummaryColumns([{ customerId: "1", frequency: 2, recency: 30.43, T: 38.86 }]).T; // Float64Array [38.86]
 */
export function toSummaryColumns(summaries: readonly CustomerSummary[]): SummaryColumns {
  if (summaries.length === 0) throw new ClvError("EMPTY_INPUT", "no customers in the input");
  const n = summaries.length;
  const columns: SummaryColumns = {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
  };
  const withMonetary = summaries.filter((s) => s.monetary !== undefined).length;
  if (withMonetary !== 0 && withMonetary !== n) {
    const missing = summaries.findIndex((s) => s.monetary === undefined);
    throw new ClvError(
      "INVALID_SUMMARY",
      `customer ${summaries[missing]!.customerId} (row ${missing}) has no monetary value while others do`,
      { index: missing, field: "monetary", customerId: summaries[missing]!.customerId },
    );
  }
  const monetary = withMonetary === n ? new Float64Array(n) : undefined;
  summaries.forEach((s, i) => {
    // Typed arrays would silently coerce text ("3" → 3): reject anything that is not a number.
    for (const field of ["frequency", "recency", "T", "monetary"] as const) {
      const value: unknown = s[field];
      if (value !== undefined && typeof value !== "number") {
        throw new ClvError(
          "INVALID_NUMBER",
          `customer ${s.customerId} (row ${i}): ${field} is not a number (got ${JSON.stringify(value)})`,
          { index: i, field, customerId: s.customerId },
        );
      }
    }
    columns.frequency[i] = s.frequency;
    columns.recency[i] = s.recency;
    columns.T[i] = s.T;
    if (monetary) monetary[i] = s.monetary!;
  });
  if (monetary) columns.monetary = monetary;
  validateSummaryColumns(columns, (i) => summaries[i]!.customerId);
  return columns;
}

/**
 * Checks summary columns (same rules as {@link toSummaryColumns}); used directly on columns
 * that did not come from objects, e.g. simulated ones.
 *
 * @param columns the data.
 * @param idOf customer id of a row, for messages.
 * @throws {ClvError} as described for {@link toSummaryColumns}.
 */
export function validateSummaryColumns(
  columns: SummaryColumns,
  idOf: (row: number) => string = (row) => `#${row}`,
): void {
  const n = columns.frequency.length;
  if (n === 0) throw new ClvError("EMPTY_INPUT", "no customers in the input");
  if (
    columns.recency.length !== n ||
    columns.T.length !== n ||
    (columns.monetary && columns.monetary.length !== n)
  ) {
    throw new ClvError("INVALID_SUMMARY", "summary columns have different lengths");
  }
  const fail = (
    code: "INVALID_NUMBER" | "INVALID_SUMMARY",
    i: number,
    field: string,
    why: string,
  ): never => {
    const customerId = idOf(i);
    throw new ClvError(code, `customer ${customerId} (row ${i}): ${field} ${why}`, {
      index: i,
      field,
      customerId,
    });
  };
  const { frequency, recency, T, monetary } = columns;
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    const tx = recency[i]!;
    const t = T[i]!;
    const m = monetary ? monetary[i]! : 0;
    // One plain test per row keeps this loop optimisable (about 20 times faster on a million
    // rows than the checks below with their messages); only a failing row goes through them.
    if (
      Number.isInteger(x) &&
      x >= 0 &&
      t >= 0 &&
      t < Infinity &&
      tx >= 0 &&
      tx <= t &&
      (x !== 0 || tx === 0) &&
      m >= 0 &&
      m < Infinity
    ) {
      continue;
    }
    if (!Number.isFinite(x)) fail("INVALID_NUMBER", i, "frequency", `is not a number (${x})`);
    if (!Number.isFinite(tx)) fail("INVALID_NUMBER", i, "recency", `is not a number (${tx})`);
    if (!Number.isFinite(t)) fail("INVALID_NUMBER", i, "T", `is not a number (${t})`);
    if (x < 0 || !Number.isInteger(x))
      fail("INVALID_SUMMARY", i, "frequency", `must be a whole number ≥ 0 (got ${x})`);
    if (t < 0) fail("INVALID_SUMMARY", i, "T", `must be ≥ 0 (got ${t})`);
    if (tx < 0 || tx > t)
      fail("INVALID_SUMMARY", i, "recency", `must lie between 0 and T = ${t} (got ${tx})`);
    if (x === 0 && tx !== 0)
      fail("INVALID_SUMMARY", i, "recency", `must be 0 when frequency is 0 (got ${tx})`);
    if (monetary) {
      if (!Number.isFinite(m)) fail("INVALID_NUMBER", i, "monetary", `is not a number (${m})`);
      if (m < 0) fail("INVALID_SUMMARY", i, "monetary", `must be ≥ 0 (got ${m})`);
    }
  }
}
