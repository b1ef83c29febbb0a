import type { ValueTransformer } from "typeorm";

/**
 * The one place where column types meet the two drivers.
 *
 * MySQL/MariaDB (mysql2) returns BIGINT and DECIMAL columns, and SUM() results, as strings;
 * SQLite (better-sqlite3) returns numbers. Money is stored as integer minor units in BIGINT
 * columns, and this transformer turns whatever the driver hands back into a safe integer.
 * Types used in entities are ones both drivers accept (`bigint`, `int`, `varchar`, `datetime`).
 */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null | undefined) => toSafeInteger(value),
};

/** Converts a driver value (string or number) to a safe integer, keeping null. */
export function toSafeInteger(value: string | number | bigint | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`database returned ${String(value)}, which is not a safe integer`);
  }
  return n;
}

/** DATETIME with millisecond precision on MySQL; SQLite stores the same as text. */
export const DATETIME = "datetime" as const;
