import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";

/**
 * Makes a read inside a write transaction a locking one (SELECT … FOR UPDATE) on MySQL, so it
 * sees the latest committed rows and holds them until commit. SQLite has no row locks and needs
 * none: its one connection already runs write transactions one at a time.
 */
export function forUpdate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
): SelectQueryBuilder<T> {
  return qb.connection.options.type === "better-sqlite3" ? qb : qb.setLock("pessimistic_write");
}
