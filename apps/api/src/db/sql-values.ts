/**
 * Dates as the databases store them: 'YYYY-MM-DD HH:MM:SS.sss' in UTC. MySQL connections run
 * with time zone Z, and TypeORM's SQLite driver stores datetimes as this text, so comparisons
 * and raw inserts behave the same on both (better-sqlite3 cannot bind Date objects).
 */
export function toSqlDateTime(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

/** Reads a datetime the driver returned (Date from mysql2, text from SQLite) as a Date. */
export function fromSqlDateTime(value: Date | string | null): Date | null {
  if (value === null) return null;
  if (value instanceof Date) return value;
  return new Date(value.includes("T") ? value : value.replace(" ", "T") + "Z");
}

/**
 * A LIKE pattern that matches `text` anywhere, wildcards in it taken literally. Use it with
 * `LIKE ? ESCAPE '!'`: '!' rather than backslash because MySQL and SQLite read a backslash in a
 * string literal differently.
 */
export function likeContains(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => "!" + c)}%`;
}
