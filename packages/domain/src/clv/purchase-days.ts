import { ClvError } from "./clv-error";

/**
 * One purchase. `amount` is in currency units and is only ever averaged into the Gamma-Gamma
 * spend input (a statistical model input, where binary floats are acceptable); it is never
 * stored or reported as money from here.
 */
export interface Transaction {
  customerId: string;
  /** A Date (its UTC calendar day counts) or a day number: whole days since 1970-01-01 UTC. */
  date: Date | number;
  amount: number;
}

/** A customer's purchase days (ascending, distinct) with the amount spent on each day. */
export interface PurchaseDays {
  days: number[];
  amounts: number[];
}

const MS_PER_DAY = 86_400_000;

/**
 * Turns a Date or day number into a whole UTC day number.
 *
 * @param value a Date or a number of days since 1970-01-01 (fraction = time of day, dropped).
 * @param field what the value is, for the error message.
 * @returns days since 1970-01-01 UTC.
 * @throws {ClvError} INVALID_DATE for an invalid Date, NaN or a value that is neither.
 * @example
 * toDayNumber(new Date("1997-09-30"), "calibrationEnd"); // 10134
 */
export function toDayNumber(value: Date | number, field: string): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms))
      throw new ClvError("INVALID_DATE", `${field} is not a valid date`, { field });
    return Math.floor(ms / MS_PER_DAY);
  }
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ClvError(
      "INVALID_DATE",
      `${field} is not a date or day number (got ${String(value)})`,
      { field },
    );
  }
  return Math.floor(value);
}

/**
 * Validates transactions and groups them per customer into distinct purchase days, summing the
 * amounts of purchases made on the same day (one transaction per customer-day, as in the BTYD
 * literature and lifetimes).
 *
 * @param transactions the purchases.
 * @param now optional reference "today": a purchase after this day is an error.
 * @returns customers in order of first appearance, each with ascending days.
 * @throws {ClvError} EMPTY_INPUT; INVALID_CUSTOMER_ID for an empty id; INVALID_DATE;
 *   INVALID_NUMBER for NaN or non-numeric amounts; NEGATIVE_AMOUNT; FUTURE_DATE. Messages name
 *   the transaction's position and customer.
 */
export function groupPurchaseDays(
  transactions: readonly Transaction[],
  now?: Date | number,
): Map<string, PurchaseDays> {
  if (transactions.length === 0) throw new ClvError("EMPTY_INPUT", "no transactions in the input");
  const today = now === undefined ? undefined : toDayNumber(now, "now");
  const raw = new Map<string, { days: number[]; amounts: number[] }>();
  transactions.forEach((t, i) => {
    const where = `transaction ${i}`;
    if (typeof t.customerId !== "string" || t.customerId.trim() === "") {
      throw new ClvError("INVALID_CUSTOMER_ID", `${where}: customer id is empty`, {
        index: i,
        field: "customerId",
      });
    }
    const location = { index: i, customerId: t.customerId };
    const day = toDayNumberAt(t.date, `${where} (customer ${t.customerId}): date`, location);
    if (typeof t.amount !== "number" || !Number.isFinite(t.amount)) {
      throw new ClvError(
        "INVALID_NUMBER",
        `${where} (customer ${t.customerId}): amount is not a number (got ${String(t.amount)})`,
        {
          ...location,
          field: "amount",
        },
      );
    }
    if (t.amount < 0) {
      throw new ClvError(
        "NEGATIVE_AMOUNT",
        `${where} (customer ${t.customerId}): amount is negative (${t.amount}); refunds are not purchases`,
        {
          ...location,
          field: "amount",
        },
      );
    }
    if (today !== undefined && day > today) {
      throw new ClvError(
        "FUTURE_DATE",
        `${where} (customer ${t.customerId}): date ${isoDay(day)} is after today (${isoDay(today)})`,
        {
          ...location,
          field: "date",
        },
      );
    }
    let entry = raw.get(t.customerId);
    if (!entry) {
      entry = { days: [], amounts: [] };
      raw.set(t.customerId, entry);
    }
    entry.days.push(day);
    entry.amounts.push(t.amount);
  });
  const grouped = new Map<string, PurchaseDays>();
  for (const [id, entry] of raw) {
    const order = entry.days.map((_, k) => k);
    if (!isSorted(entry.days)) order.sort((p, q) => entry.days[p]! - entry.days[q]!);
    const days: number[] = [];
    const amounts: number[] = [];
    for (const k of order) {
      const day = entry.days[k]!;
      if (days.length > 0 && days[days.length - 1] === day)
        amounts[amounts.length - 1]! += entry.amounts[k]!;
      else {
        days.push(day);
        amounts.push(entry.amounts[k]!);
      }
    }
    grouped.set(id, { days, amounts });
  }
  return grouped;
}

function toDayNumberAt(
  value: Date | number,
  field: string,
  location: { index: number; customerId: string },
): number {
  try {
    return toDayNumber(value, field);
  } catch (error) {
    if (error instanceof ClvError)
      throw new ClvError(error.code, error.message, { ...location, field: "date" });
    throw error;
  }
}

function isSorted(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

/** YYYY-MM-DD of a UTC day number, for messages. */
export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
