import { describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { toSqlDateTime } from "./sql-values";
import Database from "better-sqlite3";
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

  it("updates from literal rows joined on the key, only where the condition holds", () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, label TEXT)");
    db.exec("INSERT INTO t VALUES (1, 0, 'a'), (2, 5, 'b'), (3, 0, 'c')");
    const update = sqlite.updateFromRows(
      "t",
      ["id", "n", "label"],
      [1, 7, "x", 2, 8, "y"],
      "t.n = 0",
    );
    db.prepare(update.sql).run(...update.params!);
    expect(db.prepare("SELECT * FROM t ORDER BY id").all()).toEqual([
      { id: 1, n: 7, label: "x" },
      { id: 2, n: 5, label: "b" },
      { id: 3, n: 0, label: "c" },
    ]);
    db.close();
    expect(
      mysql.updateFromRows("t", ["id", "n", "label"], [1, 7, "x", 2, 8, "y"], "t.n = 0"),
    ).toEqual({
      sql:
        "UPDATE `t` JOIN (SELECT 1 AS `id`, 7 AS `n`, 'x' AS `label` UNION ALL SELECT 2, 8, 'y') v " +
        "ON v.`id` = `t`.`id` SET `t`.`n` = v.`n`, `t`.`label` = v.`label` WHERE t.n = 0",
      params: undefined,
    });
    expect([mysql.parallelWrites(4), sqlite.parallelWrites(4)]).toEqual([4, 1]);
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
