import type { EntityManager } from "typeorm";
import { driverOf } from "../../db/data-source";

/**
 * Runs a write in the caller's transaction and returns how many rows it changed (TypeORM's
 * plain `query` gives SQLite's last insert id instead, so the structured result is asked for).
 */
export async function execute(
  manager: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<number> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error("campaign writes run inside runInTransaction");
  const result = await runner.query(sql, [...params], true);
  return Number(result.affected ?? 0);
}

/** `INSERT IGNORE` (MySQL) or `INSERT OR IGNORE` (SQLite). */
export function insertIgnore(manager: EntityManager): string {
  return driverOf(manager.connection) === "sqlite" ? "INSERT OR IGNORE" : "INSERT IGNORE";
}
