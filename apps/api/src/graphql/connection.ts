import { ArgsType, Field, Int, ObjectType } from "type-graphql";
import { Max, Min } from "class-validator";
import { apiError } from "./errors";

export const MAX_PAGE_SIZE = 250;

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 50, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 50;

  @Field(() => String, { nullable: true, description: "endCursor of the previous page." })
  after?: string | null;
}

/** A keyset position: the sort value of the last row seen and its id, tagged with the order it belongs to. */
export interface Keyset {
  order: string;
  value: string | number | null;
  id: number;
}

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.order, keyset.value, keyset.id]), "utf8").toString(
    "base64url",
  );
}

/** Decodes a cursor and checks it was made for the same ordering. */
export function decodeCursor(cursor: string, order: string): Keyset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw apiError("BAD_USER_INPUT", "after: not a cursor returned by this API");
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== "string" ||
    !(typeof parsed[1] === "string" || typeof parsed[1] === "number" || parsed[1] === null) ||
    !Number.isSafeInteger(parsed[2])
  ) {
    throw apiError("BAD_USER_INPUT", "after: not a cursor returned by this API");
  }
  if (parsed[0] !== order) {
    throw apiError(
      "BAD_USER_INPUT",
      `after: the cursor was made for ordering ${parsed[0]}, not ${order}`,
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
