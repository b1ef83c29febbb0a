import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database";
import { systemActor } from "../audit/audit.service";
import { ImportService } from "./import.service";
import { sqlDateTime } from "../../db/sql-dialect";
import { isLocalInfileRefused, loadAllNew, TsvWriter } from "./local-infile";

const actor = systemActor("test");
const now = new Date("2025-01-01T00:00:00Z");
const dir = mkdtempSync(path.join(tmpdir(), "vt-infile-"));

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

/** LOAD DATA statements the server has run so far (all sessions; other tests only add). */
async function loadStatements(dataSource: DataSource): Promise<number> {
  const [row] = await dataSource.query("SHOW GLOBAL STATUS LIKE 'Com_load'");
  return Number(row.Value);
}

describe("TsvWriter", () => {
  it("writes text escaped, integers, NULL and instants as sqlDateTime does", () => {
    const writer = new TsvWriter(8); // grows as needed
    writer.text("plain");
    writer.text("tab\there\\ and\nnew\rline\0");
    writer.text("Zoë\t中");
    writer.text("");
    writer.endRow();
    writer.integer(0);
    writer.integer(-42);
    writer.integer(2 ** 53 - 1);
    writer.integer(null);
    writer.endRow();
    expect(writer.take().toString("utf8")).toBe(
      "plain\ttab\\there\\\\ and\\nnew\\rline\\0\tZoë\\t中\t\n0\t-42\t9007199254740991\t\\N\n",
    );
    expect(writer.length).toBe(0);
    expect(() => writer.integer(0.5)).toThrow(RangeError);

    // Every day of years 1000 to 9999 in steps, at varied times, and the edges of leap years.
    const instants = [
      Date.UTC(1000, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2000, 1, 29, 12, 0, 0, 5),
      Date.UTC(1900, 2, 1),
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      0,
    ];
    for (
      let ms = Date.UTC(1000, 0, 1);
      ms < Date.UTC(9999, 11, 31);
      ms += 86_400_000 * 29 + 3_723_457
    ) {
      instants.push(ms);
    }
    const dates = new TsvWriter();
    for (const ms of instants) {
      dates.dateTime(new Date(ms));
      dates.endRow();
    }
    expect(dates.take().toString("latin1").split("\n").slice(0, -1)).toEqual(
      instants.map((ms) => sqlDateTime(new Date(ms))),
    );
  });
});

describe("LOAD DATA LOCAL INFILE for new rows (MySQL)", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase("vt_infile");
    await db.dataSource.query(
      "CREATE TABLE scratch (id INT PRIMARY KEY, label VARCHAR(64) NULL, n BIGINT NULL)",
    );
  });

  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("loads text exactly, escapes and NULL included, all or nothing", async () => {
    const labels = [
      "plain",
      "tab\there",
      "line\nbreak",
      "back\\slash",
      "nul\0",
      'it\'s "q"',
      "Zoë 中",
    ];
    const values = labels.flatMap((label, i) => [i + 1, label, i === 0 ? null : 2 ** 40 + i]);
    const loaded = await db.dataSource.transaction((m) =>
      loadAllNew(m, "scratch", ["id", "label", "n"], values),
    );
    expect(loaded).toBe(true);
    const rows: { id: number; label: string; n: number | null }[] = await db.dataSource.query(
      "SELECT id, label, n FROM scratch ORDER BY id",
    );
    expect(rows.map((r) => r.label)).toEqual(labels);
    expect(rows.map((r) => (r.n === null ? null : Number(r.n)))).toEqual(
      labels.map((_, i) => (i === 0 ? null : 2 ** 40 + i)),
    );

    // One row collides with a stored one: nothing of the load stays, the transaction goes on.
    const again = await db.dataSource.transaction(async (m) => {
      const result = await loadAllNew(
        m,
        "scratch",
        ["id", "label", "n"],
        [100, "new", 1, 3, "dup", 2],
      );
      await m.query("INSERT INTO scratch (id, label) VALUES (200, 'after')");
      return result;
    });
    expect(again).toBe(false);

    // A value the column cannot hold is a warning to LOAD DATA LOCAL, not an error: refused too.
    const truncated = await db.dataSource.transaction((m) =>
      loadAllNew(m, "scratch", ["id", "label", "n"], [300, "x".repeat(65), 1]),
    );
    expect(truncated).toBe(false);
    const ids = (await db.dataSource.query("SELECT id FROM scratch WHERE id >= 100")).map(
      (r: { id: number }) => r.id,
    );
    expect(ids).toEqual([200]);
  });

  it("is how a CSV import writes new orders; a rerun still finds them unchanged", async () => {
    const service = new ImportService(db.dataSource, { currency: "USD", now: () => now });
    const customersFile = write("customers.csv", [
      "external_id,email,name,created_at,acquisition_channel,acquisition_cost",
      "L1,l1@example.com,L One,2024-01-01,email,1.00",
    ]);
    const ordersFile = write("orders.csv", [
      "external_id,customer_external_id,placed_at,amount,margin,currency,status",
      "LO1,L1,2024-02-01,10.00,,USD,completed",
      "LO\\2,L1,2024-02-02,20.00,5.00,USD,completed",
      "LO3,L1,2024-02-03,30.00,,USD,refunded",
    ]);
    const notices: string[] = [];
    const before = await loadStatements(db.dataSource);
    const first = await new ImportService(db.dataSource, {
      currency: "USD",
      now: () => now,
      onNotice: (m) => notices.push(m),
    }).importCsv({ customersFile, ordersFile, actor });
    expect(await loadStatements(db.dataSource)).toBeGreaterThan(before);
    expect(notices).toEqual([]);
    expect(first.orders).toMatchObject({ read: 3, created: 3, rejected: 0 });
    const orders = await db.dataSource.query(
      "SELECT external_id, amount_minor, margin_minor, status FROM orders ORDER BY external_id",
    );
    expect(orders).toEqual([
      { external_id: "LO1", amount_minor: 1000, margin_minor: null, status: "completed" },
      { external_id: "LO3", amount_minor: 3000, margin_minor: null, status: "refunded" },
      { external_id: "LO\\2", amount_minor: 2000, margin_minor: 500, status: "completed" },
    ]);
    const [customer] = await db.dataSource.query(
      "SELECT order_count, total_spent_minor FROM customers WHERE external_id = 'L1'",
    );
    expect(customer).toMatchObject({ order_count: 2, total_spent_minor: 3000 });

    const rerun = await service.importCsv({ customersFile, ordersFile, actor });
    expect(rerun.orders).toMatchObject({ read: 3, created: 0, updated: 0, unchanged: 3 });
  });

  it("falls back to INSERT statements, with one notice, when LOCAL INFILE is refused", async () => {
    // A client that does not offer LOCAL INFILE: the server refuses the statement.
    const refusing = new DataSource({
      ...db.dataSource.options,
      extra: { ...(db.dataSource.options as { extra?: object }).extra, flags: "-LOCAL_FILES" },
    } as typeof db.dataSource.options);
    await refusing.initialize();
    try {
      const notices: string[] = [];
      const service = new ImportService(refusing, {
        currency: "USD",
        now: () => now,
        orderBatchSize: 2,
        onNotice: (m) => notices.push(m),
      });
      const result = await service.importCsv({
        ordersFile: write("refused.csv", [
          "external_id,customer_external_id,placed_at,amount,margin,currency,status",
          "RO1,L1,2024-03-01,1.00,,USD,completed",
          "RO2,L1,2024-03-02,2.00,,USD,completed",
          "RO3,L1,2024-03-03,3.00,,USD,completed",
        ]),
        actor,
      });
      expect(result.orders).toMatchObject({ read: 3, created: 3, rejected: 0 });
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/refuses LOAD DATA LOCAL INFILE .*INSERT statements instead/);
    } finally {
      await refusing.destroy();
    }
    expect(isLocalInfileRefused({ errno: 1148 })).toBe(true);
    expect(isLocalInfileRefused({ errno: 1062 })).toBe(false);
  });
});
