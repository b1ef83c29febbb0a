import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { DomainError } from "../errors/domain-error";

/** One page of rows in keyset order, each with the cursor that resumes after it. */
export interface Page<T> {
  rows: T[];
  cursors: string[];
  hasNextPage: boolean;
}

/** A keyset position: the sort value of the last row seen and its id, tagged with the order it belongs to. */
export interface Keyset {
  order: string;
  value: string | number | null;
  id: number;
}

/** An opaque cursor (base64url JSON) for a keyset. */
export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.order, keyset.value, keyset.id]), "utf8").toString(
    "base64url",
  );
}

const notACursor = () =>
  new DomainError("INVALID_INPUT", "after: not a cursor returned by this API", { field: "after" });

/**
 * Decodes a cursor and checks it was made for the same ordering.
 *
 * @throws {DomainError} INVALID_INPUT for anything that is not such a cursor.
 */
export function decodeCursor(cursor: string, order: string): Keyset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw notACursor();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== "string" ||
    !(typeof parsed[1] === "string" || typeof parsed[1] === "number" || parsed[1] === null) ||
    !Number.isSafeInteger(parsed[2])
  ) {
    throw notACursor();
  }
  if (parsed[0] !== order) {
    throw new DomainError(
      "INVALID_INPUT",
      `after: the cursor was made for ordering ${parsed[0]}, not ${order}`,
      { field: "after" },
    );
  }
  return { order, value: parsed[1] as string | number | null, id: parsed[2] as number };
}

/**
 * SQL condition (named parameters :kv and :kid) for "rows after this keyset" under
 * ORDER BY column dir, id dir. NULLs sort first in ascending order on both MySQL and SQLite, and
 * last in descending order, so they are handled explicitly to keep paging complete when the sort
 * column is nullable.
 */
export function keysetCondition(
  column: string,
  idColumn: string,
  direction: "ASC" | "DESC",
  value: unknown,
  id: number,
): { sql: string; params: Record<string, unknown> } {
  const cmp = direction === "ASC" ? ">" : "<";
  if (value === null) {
    return direction === "ASC"
      ? {
          sql: `((${column} IS NULL AND ${idColumn} > :kid) OR ${column} IS NOT NULL)`,
          params: { kid: id },
        }
      : { sql: `(${column} IS NULL AND ${idColumn} < :kid)`, params: { kid: id } };
  }
  const base = `(${column} ${cmp} :kv OR (${column} = :kv AND ${idColumn} ${cmp} :kid))`;
  return {
    sql: direction === "ASC" ? base : `(${base} OR ${column} IS NULL)`,
    params: { kv: value, kid: id },
  };
}

/** How one list is ordered: a sort column (or the id alone) and the id as tie-breaker. */
export interface KeysetOrder<T> {
  /** Tag written into cursors, so a cursor of another ordering is refused. */
  name: string;
  /** Alias-qualified property to sort on (e.g. "o.placedAt"), or null to sort by id alone. */
  column: string | null;
  /** Alias-qualified id property (e.g. "o.id"). */
  idColumn: string;
  direction: "ASC" | "DESC";
  /** The row's id. */
  id(row: T): number;
  /** The row's sort value as written into its cursor (null for id-only orders). */
  cursorValue(row: T): string | number | null;
  /** A cursor's sort value as a query parameter (e.g. an ISO text back to a Date). */
  parameter?(value: string | number): unknown;
}

/**
 * The one keyset pager: `first` rows of `qb` after the `after` cursor, in `order`, read as an
 * index range (`first + 1` rows, the extra one telling whether a next page exists).
 *
 * @throws {DomainError} INVALID_INPUT for a cursor of another list or ordering.
 */
export async function keysetPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  order: KeysetOrder<T>,
  first: number,
  after: string | null | undefined,
): Promise<Page<T>> {
  if (after) {
    const keyset = decodeCursor(after, order.name);
    if (order.column === null) {
      qb.andWhere(`${order.idColumn} ${order.direction === "ASC" ? ">" : "<"} :kid`, {
        kid: keyset.id,
      });
    } else {
      const value =
        keyset.value === null ? null : (order.parameter?.(keyset.value) ?? keyset.value);
      const condition = keysetCondition(
        order.column,
        order.idColumn,
        order.direction,
        value,
        keyset.id,
      );
      qb.andWhere(condition.sql, condition.params);
    }
  }
  if (order.column !== null) qb.orderBy(order.column, order.direction);
  qb.addOrderBy(order.idColumn, order.direction);
  const found = await qb.limit(first + 1).getMany();
  const rows = found.slice(0, first);
  return {
    rows,
    cursors: rows.map((row) => cursorOf(order, row)),
    hasNextPage: found.length > first,
  };
}

/** The cursor that resumes after `row` in `order`. */
export function cursorOf<T>(order: KeysetOrder<T>, row: T): string {
  return encodeCursor({
    order: order.name,
    value: order.column === null ? null : order.cursorValue(row),
    id: order.id(row),
  });
}
