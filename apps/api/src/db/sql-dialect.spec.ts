import { describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { toSqlDateTime } from "../../db/sql-values";
import { escape as mysqlEscape } from "mysql2";
import { sqlDateTime, sqlDialect, sqlLiteral } from "./sql-dialect";

const mysql = sqlDialect({ options: { type: "mysql" } } as DataSource);
const sqlite = sqlDialect({ options: { type: "better-sqlite3" } } as DataSource);

describe("sql dialects", () => {
  it("writes MySQL values as escaped literals", () => {
    const list = mysql.inList(["C1", "it's", "back\\slash", "nul\0", 42, null]);
    expect(list).toEqual({
      sql: "'C1','it\\'s','back\\\\slash','nul\\0',42,NULL",
      params: undefined,
    });
    expect(() => mysql.inList([1.5])).toThrow(RangeError);
  });

  it("escapes text exactly as mysql2 does", () => {
    for (let c = 0; c < 0x3100; c++) {
      const text = `a${String.fromCharCode(c)}b`;
      expect(sqlLiteral(text)).toBe(mysqlEscape(text));
    }
  });

  it("builds upserts: literals on MySQL, bound values within SQLite's limit", () => {
    const m = mysql.upsert("orders", ["external_id", "amount_minor"], ["O1", 100, "O2", 200]);
    expect(m.sql).toBe(
      "INSERT INTO `orders` (`external_id`, `amount_minor`) VALUES ('O1',100),('O2',200) " +
        "ON DUPLICATE KEY UPDATE `amount_minor` = VALUES(`amount_minor`)",
    );
    const s = sqlite.upsert("orders", ["external_id", "amount_minor"], ["O1", 100, "O2", 200]);
    expect(s.sql).toMatch(
      /VALUES \(\?,\?\),\(\?,\?\) ON CONFLICT\(external_id\) DO UPDATE SET `amount_minor` = excluded\.`amount_minor`, updated_at = /,
    );
    expect(s.params).toEqual(["O1", 100, "O2", 200]);
    expect(sqlite.rowsPerInsert(7, 5000)).toBe(4680);
    expect(mysql.rowsPerInsert(7, 5000)).toBe(5000);
  });

  it("formats dates exactly like toSqlDateTime", () => {
    let seed = 3;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const date = new Date(
        Date.UTC(1000, 0, 1) +
          (seed / 0x7fffffff) * (Date.UTC(9999, 11, 31) - Date.UTC(1000, 0, 1)),
      );
      expect(sqlDateTime(date)).toBe(toSqlDateTime(date));
    }
    expect(sqlDateTime(new Date("2024-02-29T23:59:59.999Z"))).toBe("2024-02-29 23:59:59.999");
  });
});
