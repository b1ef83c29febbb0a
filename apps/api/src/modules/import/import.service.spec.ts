import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database";
import { systemActor } from "../audit/audit.service";
import { DomainError } from "../../errors/domain-error";
import { ImportFileError } from "./import-errors";
import { NewCustomerTotals, settleNewCustomerTotals } from "./customer-aggregates";
import { OrderTotalsForecast } from "./order-totals-forecast";
import { ImportService, type CsvImportResult } from "./import.service";

const now = new Date("2025-01-01T00:00:00Z");
const actor = systemActor("test");
const dir = mkdtempSync(path.join(tmpdir(), "vt-import-"));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

const CUSTOMERS = [
  "external_id,email,name,created_at,acquisition_channel,acquisition_cost,tags,nps", // 1
  "C1,ann@example.com,Ann Lee,2024-01-05T10:00:00Z,Organic,0.00,VIP;newsletter,9", // 2
  'C2,bob@example.com,"Lee, Bob",2024-02-01,paid_search,45.10,,', // 3
  "C3,not-an-email,Cat,2024-02-02,email,1.00,,", // 4 malformed email
  "C4,dan@example.com,Dan,2023-02-30,email,1.00,,", // 5 impossible date
  "C5,eve@example.com,Eve,2025-03-01,email,1.00,,", // 6 future date
  "C6,fay@example.com,Fay,2024-02-03,email,-5.00,,", // 7 negative cost
  "C7,gus@example.com,Gus,2024-02-04,email,abc,,11", // 8 non-numeric cost, NPS out of range
  "C1,ann2@example.com,Ann Again,2024-02-05,email,1.00,,", // 9 duplicate of line 2
  "C8,hal@example.com,Ha\u0000l,2024-02-06,email,1.00,,", // 10 control character
  "C9,ANN@example.com,Ann Twin,2024-02-06,email,1.00,,", // 11 email already on line 2
  `C10,ivy@example.com,${"x".repeat(256)},2024-02-07,email,1.00,,`, // 12 name too long
  "C11,jon@example.com,Jon,2024-02-08", // 13 wrong field count
  'C12,kim@example.com,Kim,2024-02-09,referral,15.00,"b2b;', // 14 tags over two lines
  'eco",7', // 15
  "", // 16 blank
  "C13,,Lou,2024-02-10,,,,", // 17 minimal
  `"Q'1\\",,"O'Brien \\ ""Q"" Zoë",2024-02-10,,,,`, // 18 quotes and backslashes
].join("\n");

const BAD_UTF8_CUSTOMER = Buffer.concat([
  Buffer.from("C14,max@example.com,M"),
  Buffer.from([0xe9]),
  Buffer.from("x,2024-02-11,email,1.00,,\n"), // 19 invalid UTF-8 (Latin-1 é)
]);

const ORDERS = [
  "external_id,customer_external_id,placed_at,amount,margin,currency,status", // 1
  "O1,C1,2024-01-05T10:00:00Z,19.99,6.00,USD,completed", // 2
  "O2,C1,2024-03-01T12:30:00Z,100.00,,usd,Refunded", // 3
  "O3,C2,2024-02-01T08:00:00Z,5.01,,USD,completed", // 4
  "O4,C3,2024-02-02,1.00,,USD,completed", // 5 customer rejected on line 4
  "O5,C99,2024-02-02,1.00,,USD,completed", // 6 unknown customer
  "O6,C1,2024-02-02,-1.00,,USD,completed", // 7 negative amount
  "O7,C1,2024-02-02,ten,,USD,completed", // 8 non-numeric amount
  "O8,C1,2024-02-02,1.00,,USD,shipped", // 9 unknown status
  "O9,C1,2024-02-02,1.00,,XYZ,completed", // 10 unknown currency
  "O1,C2,2024-02-02,1.00,,USD,completed", // 11 duplicate of line 2
  "O10,C1,2024-13-01,1.00,,USD,completed", // 12 impossible date
  "O11,C1,2024-02-02,1.005,,USD,completed", // 13 too many decimals
  "O12,C12,2024-02-10T09:00:00Z,30.00,9.00,USD,completed", // 14
  "O13,C0,2024-02-11T09:00:00Z,12.00,,USD,completed", // 15 customer only in the database
  "O14,C1,2024-04-01T00:00:00Z,0.50,0.10,USD,completed", // 16
  ",C1,2024-04-01,1.00,,USD,completed", // 17 missing external id
].join("\n");

const codesByLine = (result: CsvImportResult) =>
  result.errors.map(
    (e) => `${path.basename(e.file)}:${e.line}:${e.errors.map((x) => x.code).join("+")}`,
  );

describe("ImportService on MySQL", () => {
  let db: TestDatabase;
  let service: ImportService;
  let customersFile: string;
  let ordersFile: string;

  beforeAll(async () => {
    db = await createTestDatabase("vt_import");
    service = new ImportService(db.dataSource, {
      currency: "USD",
      now: () => now,
      customerBatchSize: 4,
      orderBatchSize: 5,
    });
    customersFile = write(
      "customers.csv",
      Buffer.concat([Buffer.from(CUSTOMERS + "\n"), BAD_UTF8_CUSTOMER]),
    );
    ordersFile = write("orders.csv", "\uFEFF" + ORDERS + "\n");
    // A customer that exists before the import, as the API would have created it.
    const seeded = await service.upsertCustomers(
      [{ external_id: "C0", email: "zed@example.com", name: "Zed", created_at: "2023-06-01" }],
      actor,
    );
    expect(seeded.counts).toEqual({
      imported: 1,
      created: 1,
      updated: 0,
      unchanged: 0,
      rejected: 0,
    });
  });

  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const customerRows = () =>
    db.dataSource.query(
      "SELECT external_id, email, name, first_seen_at, acquisition_channel, acquisition_cost_minor, tags, nps, " +
        "order_count, total_spent_minor, first_order_at, last_order_at FROM customers ORDER BY external_id",
    );
  const orderRows = () =>
    db.dataSource.query(
      "SELECT o.external_id, c.external_id AS customer, o.placed_at, o.amount_minor, o.margin_minor, o.currency, o.status " +
        "FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.external_id",
    );

  it("keeps every good row and reports every bad one with its line", async () => {
    const errors: string[] = [];
    const result = await service.importCsv({
      customersFile,
      ordersFile,
      actor,
      onError: (e) => errors.push(`${e.line}`),
    });
    expect(codesByLine(result)).toEqual([
      "customers.csv:4:INVALID_EMAIL",
      "customers.csv:5:INVALID_DATE",
      "customers.csv:6:FUTURE_DATE",
      "customers.csv:7:NEGATIVE_AMOUNT",
      "customers.csv:8:INVALID_AMOUNT+OUT_OF_RANGE",
      "customers.csv:9:DUPLICATE",
      "customers.csv:10:INVALID_FORMAT",
      "customers.csv:11:DUPLICATE",
      "customers.csv:12:TOO_LONG",
      "customers.csv:13:WRONG_FIELD_COUNT",
      "customers.csv:19:INVALID_ENCODING",
      "orders.csv:5:UNKNOWN_CUSTOMER",
      "orders.csv:6:UNKNOWN_CUSTOMER",
      "orders.csv:7:NEGATIVE_AMOUNT",
      "orders.csv:8:INVALID_AMOUNT",
      "orders.csv:9:UNKNOWN_STATUS",
      "orders.csv:10:UNKNOWN_CURRENCY",
      "orders.csv:11:DUPLICATE",
      "orders.csv:12:INVALID_DATE",
      "orders.csv:13:TOO_MANY_DECIMALS",
      "orders.csv:17:REQUIRED",
    ]);
    expect(errors).toHaveLength(21);
    const reasons = Object.fromEntries(
      result.errors.map((e) => [`${path.basename(e.file)}:${e.line}`, e.reason]),
    );
    expect(reasons["customers.csv:9"]).toBe('external_id: "C1" already appears on line 2');
    expect(reasons["customers.csv:11"]).toBe("email: ann@example.com is already used on line 2");
    expect(reasons["orders.csv:5"]).toBe(
      'customer_external_id: customer "C3" was rejected on line 4 of customers.csv',
    );
    expect(reasons["orders.csv:6"]).toBe(
      'customer_external_id: customer "C99" is neither in the database nor in customers.csv',
    );
    expect(reasons["orders.csv:11"]).toBe('external_id: "O1" already appears on line 2');
    expect(result.customers).toEqual({
      read: 16,
      imported: 5,
      created: 5,
      updated: 0,
      unchanged: 0,
      rejected: 11,
    });
    expect(result.orders).toEqual({
      read: 16,
      imported: 6,
      created: 6,
      updated: 0,
      unchanged: 0,
      rejected: 10,
    });
    expect(result.written).toBe(true);

    const customers = await customerRows();
    expect(customers.map((c: { external_id: string }) => c.external_id)).toEqual([
      "C0",
      "C1",
      "C12",
      "C13",
      "C2",
      "Q'1\\",
    ]);
    // Quotes, backslashes and accents arrive as written (values go into SQL as literals).
    expect(customers[5]).toMatchObject({ name: 'O\'Brien \\ "Q" Zoë' });
    const byId = Object.fromEntries(
      customers.map((c: { external_id: string }) => [c.external_id, c]),
    );
    expect(byId.C1).toMatchObject({
      email: "ann@example.com",
      name: "Ann Lee",
      acquisition_channel: "organic",
      acquisition_cost_minor: 0,
      tags: "vip;newsletter",
      nps: 9,
      // O2 was refunded: it counts for neither the order count nor the total
      order_count: 2,
      total_spent_minor: 1999 + 50,
    });
    expect(byId.C1.first_seen_at.toISOString()).toBe("2024-01-05T10:00:00.000Z");
    expect(byId.C1.first_order_at.toISOString()).toBe("2024-01-05T10:00:00.000Z");
    expect(byId.C1.last_order_at.toISOString()).toBe("2024-04-01T00:00:00.000Z");
    expect(byId.C2).toMatchObject({
      name: "Lee, Bob",
      acquisition_cost_minor: 4510,
      order_count: 1,
      total_spent_minor: 501,
    });
    expect(byId.C12).toMatchObject({
      tags: "b2b;eco",
      nps: 7,
      order_count: 1,
      total_spent_minor: 3000,
    });
    expect(byId.C13).toMatchObject({
      email: null,
      name: "Lou",
      acquisition_channel: null,
      acquisition_cost_minor: null,
      order_count: 0,
      total_spent_minor: 0,
      last_order_at: null,
    });
    expect(byId.C0).toMatchObject({ order_count: 1, total_spent_minor: 1200 });

    const orders = await orderRows();
    expect(
      orders.map(
        (o: { external_id: string; customer: string }) => `${o.external_id}>${o.customer}`,
      ),
    ).toEqual(["O1>C1", "O12>C12", "O13>C0", "O14>C1", "O2>C1", "O3>C2"]);
    expect(orders.find((o: { external_id: string }) => o.external_id === "O2")).toMatchObject({
      amount_minor: 10000,
      margin_minor: null,
      currency: "USD",
      status: "refunded",
    });
  });

  it("changes nothing when the same files are imported again", async () => {
    const before = { customers: await customerRows(), orders: await orderRows() };
    const result = await service.importCsv({ customersFile, ordersFile, actor });
    expect(result.customers).toEqual({
      read: 16,
      imported: 0,
      created: 0,
      updated: 0,
      unchanged: 5,
      rejected: 11,
    });
    expect(result.orders).toEqual({
      read: 16,
      imported: 0,
      created: 0,
      updated: 0,
      unchanged: 6,
      rejected: 10,
    });
    expect({ customers: await customerRows(), orders: await orderRows() }).toEqual(before);
  });

  it("imports only what changed, and keeps the aggregates right", async () => {
    const changed = write(
      "orders-changed.csv",
      ORDERS.replace(
        "O3,C2,2024-02-01T08:00:00Z,5.01,,USD,completed",
        "O3,C1,2024-02-01T08:00:00Z,7.00,,USD,completed",
      ),
    );
    const result = await service.importCsv({ ordersFile: changed, actor });
    expect(result.orders).toMatchObject({ imported: 1, created: 0, updated: 1, unchanged: 5 });
    // The order moved from C2 to C1: both customers' aggregates follow.
    const byId = Object.fromEntries(
      (await customerRows()).map((c: { external_id: string }) => [c.external_id, c]),
    );
    expect(byId.C1).toMatchObject({ order_count: 3, total_spent_minor: 1999 + 50 + 700 });
    expect(byId.C2).toMatchObject({ order_count: 0, total_spent_minor: 0, first_order_at: null });
    // Without a customers file, an unknown customer is described without it.
    expect(result.errors.find((e) => e.line === 6)?.reason).toBe(
      'customer_external_id: customer "C99" is not in the database',
    );
  });

  it("writes one audit entry per import call with its counts", async () => {
    const entries = await db.dataSource.query(
      "SELECT action, actor_label, after_json FROM audit_log ORDER BY id",
    );
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      "customers.upsert",
      "import.csv",
      "import.csv",
      "import.csv",
    ]);
    expect(entries[1].actor_label).toBe("test");
    expect(JSON.parse(entries[1].after_json)).toMatchObject({
      written: true,
      customers: { read: 16, imported: 5, created: 5, updated: 0, unchanged: 0, rejected: 11 },
      orders: { read: 16, imported: 6, created: 6, updated: 0, unchanged: 0, rejected: 10 },
      errors: 21,
    });
  });

  it("in strict mode writes nothing when any row is bad", async () => {
    const strictCustomers = write(
      "strict-customers.csv",
      `${CUSTOMERS.split("\n")[0]}\nS1,s1@example.com,S,2024-01-01,email,1.00,,\n`,
    );
    const strictOrders = write(
      "strict-orders.csv",
      `${ORDERS.split("\n")[0]}\nSO1,S1,2024-01-02,1.00,,USD,completed\nSO2,S1,2024-01-03,-1,,USD,completed\n`,
    );
    const counts = async () =>
      (
        await db.dataSource.query(
          "SELECT (SELECT COUNT(*) FROM customers) AS c, (SELECT COUNT(*) FROM orders) AS o",
        )
      )[0];
    const before = await counts();
    const refused = await service.importCsv({
      customersFile: strictCustomers,
      ordersFile: strictOrders,
      actor,
      strict: true,
    });
    expect(refused.written).toBe(false);
    expect(refused.customers).toMatchObject({ read: 1, imported: 0, created: 0, unchanged: 0 });
    expect(refused.orders).toMatchObject({ read: 2, imported: 0, created: 0, rejected: 1 });
    expect(codesByLine(refused)).toEqual(["strict-orders.csv:3:NEGATIVE_AMOUNT"]);
    expect(await counts()).toEqual(before);

    const fixed = write(
      "strict-orders-fixed.csv",
      `${ORDERS.split("\n")[0]}\nSO1,S1,2024-01-02,1.00,,USD,completed\n`,
    );
    const accepted = await service.importCsv({
      customersFile: strictCustomers,
      ordersFile: fixed,
      actor,
      strict: true,
    });
    expect(accepted.written).toBe(true);
    expect(accepted.customers.imported).toBe(1);
    expect(accepted.orders.imported).toBe(1);
  });

  it("rejects a file without a required column before writing anything", async () => {
    const noStatus = write(
      "no-status.csv",
      "external_id,customer_external_id,placed_at,amount,margin,currency\n",
    );
    const newCustomers = write(
      "new-customers.csv",
      `${CUSTOMERS.split("\n")[0]}\nN1,n1@example.com,N,2024-01-01,email,1.00,,\n`,
    );
    await expect(
      service.importCsv({ customersFile: newCustomers, ordersFile: noStatus, actor }),
    ).rejects.toThrow(ImportFileError);
    await expect(
      service.importCsv({ customersFile: newCustomers, ordersFile: noStatus, actor }),
    ).rejects.toThrow(/no-status\.csv: missing required column status/);
    const [{ n }] = await db.dataSource.query(
      "SELECT COUNT(*) AS n FROM customers WHERE external_id = 'N1'",
    );
    expect(Number(n)).toBe(0);
  });

  it("upserts customers and records orders record by record for the API", async () => {
    const customers = await service.upsertCustomers(
      [
        { external_id: "A1", email: "a1@example.com", name: "A One", created_at: "2024-05-01" },
        { external_id: "A2", email: "bad@", created_at: "2024-05-01" },
        { external_id: "A3", email: "ANN@example.com", created_at: "2024-05-01" },
      ],
      actor,
    );
    expect(customers.counts).toEqual({
      imported: 1,
      created: 1,
      updated: 0,
      unchanged: 0,
      rejected: 2,
    });
    expect(customers.results[0]).toMatchObject({ index: 0, status: "created", errors: [] });
    expect(customers.results[0]!.id).toBeGreaterThan(0);
    expect(customers.results[1]).toMatchObject({
      index: 1,
      status: "rejected",
      id: null,
      errors: [{ index: 1, field: "email", code: "INVALID_EMAIL" }],
    });
    expect(customers.results[2]!.errors).toEqual([
      {
        index: 2,
        field: "email",
        code: "EMAIL_TAKEN",
        message: "ann@example.com already belongs to another customer",
      },
    ]);
    const again = await service.upsertCustomers(
      [{ external_id: "A1", email: "a1@example.com", name: "A One", created_at: "2024-05-01" }],
      actor,
    );
    expect(again.results[0]).toEqual({
      index: 0,
      status: "unchanged",
      id: customers.results[0]!.id,
      errors: [],
    });

    const orders = await service.recordOrders(
      [
        {
          external_id: "AO1",
          customer_external_id: "A1",
          placed_at: "2024-05-02",
          amount: "10.00",
          margin: "",
          currency: "USD",
          status: "completed",
        },
        {
          external_id: "AO2",
          customer_external_id: "NOPE",
          placed_at: "2024-05-02",
          amount: "10.00",
          margin: "",
          currency: "USD",
          status: "completed",
        },
      ],
      actor,
    );
    expect(orders.counts).toEqual({
      imported: 1,
      created: 1,
      updated: 0,
      unchanged: 0,
      rejected: 1,
    });
    expect(orders.results[0]!.id).toBeGreaterThan(0);
    expect(orders.results[1]!.errors).toEqual([
      {
        index: 1,
        field: "customer_external_id",
        code: "UNKNOWN_CUSTOMER",
        message: 'no customer with external id "NOPE"',
      },
    ]);
    const [a1] = await db.dataSource.query(
      "SELECT order_count, total_spent_minor FROM customers WHERE external_id = 'A1'",
    );
    expect(a1).toMatchObject({ order_count: 1, total_spent_minor: 1000 });

    const tooMany = Array.from({ length: 1001 }, () => ({}));
    await expect(service.upsertCustomers(tooMany, actor)).rejects.toThrow(DomainError);
    await expect(service.upsertCustomers(tooMany, actor)).rejects.toMatchObject({
      code: "TOO_MANY_ITEMS",
      field: "input",
    });
  });

  it("refuses orders in another currency than the store's, from a file and from the API", async () => {
    await service.upsertCustomers(
      [{ external_id: "FX1", email: "fx1@example.com", created_at: "2024-05-01" }],
      actor,
    );
    const result = await service.importCsv({
      ordersFile: write(
        "fx-orders.csv",
        [
          "external_id,customer_external_id,placed_at,amount,margin,currency,status",
          "FXO1,FX1,2024-05-02,10.00,,USD,completed",
          "FXO2,FX1,2024-05-03,1500,,jpy,completed",
        ].join("\n") + "\n",
      ),
      actor,
    });
    expect(result.errors).toEqual([
      {
        file: expect.stringMatching(/fx-orders\.csv$/),
        line: 3,
        reason: expect.stringMatching(/^currency: is JPY, but the store's currency is USD/),
        errors: [
          {
            field: "currency",
            code: "CURRENCY_MISMATCH",
            message: expect.stringMatching(/^is JPY, but the store's currency is USD: /),
          },
        ],
      },
    ]);
    const api = await service.recordOrders(
      [
        {
          external_id: "FXO3",
          customer_external_id: "FX1",
          placed_at: "2024-05-04",
          amount: "20.00",
          margin: "",
          currency: "EUR",
          status: "completed",
        },
      ],
      actor,
    );
    expect(api.results[0]).toMatchObject({
      status: "rejected",
      errors: [{ field: "currency", code: "CURRENCY_MISMATCH" }],
    });
    const [fx1] = await db.dataSource.query(
      "SELECT order_count, total_spent_minor FROM customers WHERE external_id = 'FX1'",
    );
    expect(fx1).toMatchObject({ order_count: 1, total_spent_minor: 1000 });
  });

  it("recomputes a customer it created when one of its orders was stored before", async () => {
    const header = (text: string) => text.split("\n")[0];
    const result = await service.importCsv({
      customersFile: write(
        "customers-m.csv",
        `${header(CUSTOMERS)}\nM1,m1@example.com,Mo,2024-03-01,email,1.00,,\n`,
      ),
      ordersFile: write(
        "orders-m.csv",
        // MO1 is new; O14 belonged to C1 and moves to the new customer.
        `${header(ORDERS)}\nMO1,M1,2024-06-02,3.00,,USD,completed\n` +
          "O14,M1,2024-04-01T00:00:00Z,0.50,0.10,USD,completed\n",
      ),
      actor,
    });
    expect(result.orders).toMatchObject({ imported: 2, unchanged: 0, rejected: 0 });
    const rows: { external_id: string; order_count: number; total_spent_minor: number }[] =
      await db.dataSource.query(
        "SELECT external_id, order_count, total_spent_minor FROM customers WHERE external_id IN ('M1', 'C1')",
      );
    const byId = Object.fromEntries(rows.map((r) => [r.external_id, r]));
    expect(byId.M1).toMatchObject({ order_count: 2, total_spent_minor: 350 });
    expect(byId.C1).toMatchObject({ order_count: 2, total_spent_minor: 1999 + 700 });
  });

  it("settles created customers: keeps aggregates that hold their import's orders, recomputes the rest", async () => {
    const aggregates = async (externalId: string) => {
      const [row] = await db.dataSource.query(
        "SELECT id, order_count, total_spent_minor, first_order_at, last_order_at FROM customers WHERE external_id = ?",
        [externalId],
      );
      return row as { id: number; order_count: number; total_spent_minor: number };
    };
    await service.upsertCustomers(
      [
        { external_id: "T1", created_at: "2024-05-01" },
        { external_id: "T2", created_at: "2024-05-01" },
        { external_id: "T3", created_at: "2024-05-01" },
      ],
      actor,
    );
    // T2 gets an order from another writer (the API), which sets its aggregates.
    await service.recordOrders(
      [
        {
          external_id: "TO1",
          customer_external_id: "T2",
          placed_at: "2024-05-02",
          amount: "4.00",
          currency: "USD",
          status: "completed",
        },
      ],
      actor,
    );
    const [t1, t2, t3] = [await aggregates("T1"), await aggregates("T2"), await aggregates("T3")];
    // As if an import had written T1 and T3 with a forecast of two orders, but written only
    // T1's (T3's were rejected), and T2's one order: T1 holds its orders' totals and is left
    // alone; T3's forecast no longer holds, nor does T2 (another writer's order): both are
    // recomputed from the orders.
    await db.dataSource.query(
      "UPDATE customers SET order_count = 2, total_spent_minor = 1000, first_order_at = ?, last_order_at = ? WHERE id IN (?, ?)",
      ["2024-05-01 00:00:00.000", "2024-05-03 00:00:00.000", t1!.id, t3!.id],
    );
    const totals = new NewCustomerTotals();
    totals.addCompleted(t1!.id, 900, new Date("2024-05-03T00:00:00Z"));
    totals.addCompleted(t1!.id, 100, new Date("2024-05-01T00:00:00Z"));
    totals.addCompleted(t2!.id, 100, new Date("2024-05-01T00:00:00Z"));
    const settled = await settleNewCustomerTotals(
      db.dataSource,
      [t1!.id, t2!.id, t3!.id],
      totals,
      new Set(),
    );
    expect(settled).toEqual({ updated: 3, recomputed: 2 });
    // T1 still holds the totals it was written with, though it has no orders in the table:
    // only what differs from the import's own orders is recomputed.
    expect(await aggregates("T1")).toMatchObject({ order_count: 2, total_spent_minor: 1000 });
    expect(await aggregates("T2")).toMatchObject({ order_count: 1, total_spent_minor: 400 });
    expect(await aggregates("T3")).toMatchObject({
      order_count: 0,
      total_spent_minor: 0,
      first_order_at: null,
    });
    // Only the customers named are checked, though T2 lies between T1 and T3.
    await db.dataSource.query("UPDATE customers SET order_count = 5 WHERE id = ?", [t2!.id]);
    expect(
      await settleNewCustomerTotals(db.dataSource, [t1!.id, t3!.id], totals, new Set()),
    ).toEqual({ updated: 1, recomputed: 0 });
    expect(await aggregates("T2")).toMatchObject({ order_count: 5 });
    // Ids far apart are read by list, not by range; one that is gone is passed over.
    expect(
      await settleNewCustomerTotals(db.dataSource, [t1!.id, t3!.id + 1000], totals, new Set()),
    ).toEqual({ updated: 1, recomputed: 0 });
    // Customers in `except` are left to the caller's recompute.
    await db.dataSource.query("UPDATE customers SET order_count = 7 WHERE id = ?", [t3!.id]);
    expect(
      await settleNewCustomerTotals(db.dataSource, [t3!.id], totals, new Set([t3!.id])),
    ).toEqual({ updated: 0, recomputed: 0 });
    expect(await aggregates("T3")).toMatchObject({ order_count: 7 });
  });

  it("reads the aggregates an orders file will give its customers, from the usual lines", async () => {
    const file = write(
      "orders-forecast.csv",
      [
        ORDERS.split("\n")[0],
        "F1,A,2024-02-01T10:00:00Z,10.00,,USD,completed",
        "F2,A,2024-01-01T10:00:00Z,2.50,1.00,USD,completed",
        "F3,B,2024-03-01T10:00:00Z,1.25,,USD,completed",
        // Refunded: not a purchase. Another currency, or a date in the future: rejected.
        "F4,A,2024-04-01T10:00:00Z,99.00,,USD,refunded",
        "F5,B,2024-04-01T10:00:00Z,99.00,,EUR,completed",
        "F6,B,2030-04-01T10:00:00Z,99.00,,USD,completed",
        // A's again after B's: the same totals.
        "F7,A,2024-05-01T10:00:00Z,0.25,,USD,completed",
        // Not a usual line (quoted): left out of the forecast.
        'F8,"B",2024-05-01T10:00:00Z,5.00,,USD,completed',
        "",
      ].join("\n"),
    );
    const forecast = await OrderTotalsForecast.read(file, {
      currency: "USD",
      now,
      futureToleranceMs: 0,
    });
    expect(forecast.size).toBe(2);
    expect(forecast.get("A")).toEqual({
      count: 3,
      spentMinor: 1275,
      firstMs: Date.parse("2024-01-01T10:00:00Z"),
      lastMs: Date.parse("2024-05-01T10:00:00Z"),
    });
    expect(forecast.get("B")).toEqual({
      count: 1,
      spentMinor: 125,
      firstMs: Date.parse("2024-03-01T10:00:00Z"),
      lastMs: Date.parse("2024-03-01T10:00:00Z"),
    });
  });

  it("writes each created customer once, with the totals of its orders wherever they are in the file", async () => {
    const header = (text: string) => text.split("\n")[0];
    const ids = Array.from({ length: 1300 }, (_, i) => `E${String(i).padStart(4, "0")}`);
    const customers = ids.map((id) => `${id},,${id},2024-01-01,,,,`);
    // Orders grouped by customer, two completed and one refunded each; E0000 gets one more
    // order at the end.
    const orders = ids.flatMap((id) => [
      `${id}-1,${id},2024-02-01T10:00:00Z,10.00,,USD,completed`,
      `${id}-2,${id},2024-03-01T10:00:00Z,2.50,,USD,refunded`,
      `${id}-3,${id},2024-04-01T10:00:00Z,1.25,,USD,completed`,
    ]);
    orders.push("E0000-4,E0000,2024-05-01T10:00:00Z,7.00,,USD,completed");
    const grouped = new ImportService(db.dataSource, {
      currency: "USD",
      now: () => now,
      orderBatchSize: 100,
    });
    const result = await grouped.importCsv({
      customersFile: write("customers-e.csv", `${header(CUSTOMERS)}\n${customers.join("\n")}\n`),
      ordersFile: write("orders-e.csv", `${header(ORDERS)}\n${orders.join("\n")}\n`),
      actor,
    });
    expect(result.orders).toMatchObject({ imported: 3901, rejected: 0 });
    expect(result.customersRecomputed).toBe(1300);
    const [check] = await db.dataSource.query(
      `SELECT COUNT(*) AS customers,
              SUM(c.order_count = a.n AND c.total_spent_minor = a.spent
                  AND c.first_order_at = a.first_at AND c.last_order_at = a.last_at) AS same
         FROM customers c
         JOIN (SELECT customer_id, COUNT(*) AS n, SUM(amount_minor) AS spent,
                      MIN(placed_at) AS first_at, MAX(placed_at) AS last_at
                 FROM orders WHERE status = 'completed' GROUP BY customer_id) a
           ON a.customer_id = c.id
        WHERE c.external_id LIKE 'E%'`,
    );
    expect(Number(check.customers)).toBe(1300);
    expect(Number(check.same)).toBe(1300);
    const [e0] = await db.dataSource.query(
      "SELECT order_count, total_spent_minor FROM customers WHERE external_id = 'E0000'",
    );
    expect(e0).toMatchObject({ order_count: 3, total_spent_minor: 1825 });
  });

  it("recomputes the customers it created when another call wrote orders meanwhile", async () => {
    const header = (text: string) => text.split("\n")[0];
    // R1 is created with one completed order, which the API refunds while the import goes on
    // with R2's orders: R1's aggregates still look like a customer's without orders, yet the
    // totals summed by the import (one order) no longer hold.
    const filler = Array.from(
      { length: 200 },
      (_, i) => `RX${i},R2,2024-07-02,1.00,,USD,completed`,
    );
    let api: Promise<{ counts: unknown }> | undefined;
    const result = await service.importCsv({
      customersFile: write(
        "customers-r.csv",
        `${header(CUSTOMERS)}\nR1,r1@example.com,Ro,2024-06-01,email,1.00,,\n` +
          "R2,r2@example.com,Rae,2024-06-01,email,1.00,,\n",
      ),
      ordersFile: write(
        "orders-r.csv",
        `${header(ORDERS)}\nRO1,R1,2024-07-01,5.00,,USD,completed\n${filler.join("\n")}\n`,
      ),
      actor,
      onProgress: (p) => {
        if (p.phase !== "orders" || api !== undefined) return;
        api = service.recordOrders(
          [
            {
              external_id: "RO1",
              customer_external_id: "R1",
              placed_at: "2024-07-01",
              amount: "5.00",
              currency: "USD",
              status: "refunded",
            },
          ],
          actor,
        );
      },
    });
    expect(result.orders).toMatchObject({ imported: 201, rejected: 0 });
    expect((await api!).counts).toMatchObject({ imported: 1, unchanged: 0, rejected: 0 });
    const rows: { external_id: string }[] = await db.dataSource.query(
      "SELECT external_id, order_count, total_spent_minor, first_order_at FROM customers WHERE external_id IN ('R1', 'R2') ORDER BY external_id",
    );
    expect(rows).toMatchObject([
      { external_id: "R1", order_count: 0, total_spent_minor: 0, first_order_at: null },
      { external_id: "R2", order_count: 200, total_spent_minor: 20000 },
    ]);
  });

  it("groups concurrent recordOrders calls into shared transactions, each call with its own outcome and audit entry", async () => {
    const count = async () =>
      Number(
        (
          (await db.dataSource.query(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'orders.record'",
          )) as { n: unknown }[]
        )[0]!.n,
      );
    const auditBefore = await count();
    const transactionsBefore = service.recordOrdersGrouping.transactions;
    const order = (id: string, customer: string, amount = "1.00") => ({
      external_id: id,
      customer_external_id: customer,
      placed_at: "2024-08-01T00:00:00Z",
      amount,
      currency: "USD",
      status: "completed",
    });
    const calls = [
      ...Array.from({ length: 20 }, (_, i) => [order(`G${i}`, i % 2 ? "C1" : "C2")]),
      [order("GBAD", "C1", "-1.00"), order("GOK", "C2")],
      [order("GDUP", "C1"), order("GDUP", "C2")],
      // The same order as the first call: never in its transaction, so it updates it after.
      [order("G0", "C2", "2.00")],
      [order("GX", "NOBODY")],
    ];
    const results = await Promise.all(calls.map((c) => service.recordOrders(c, actor)));

    for (const result of results.slice(0, 20)) {
      expect(result.counts).toEqual({
        imported: 1,
        created: 1,
        updated: 0,
        unchanged: 0,
        rejected: 0,
      });
      expect(result.results).toMatchObject([{ index: 0, status: "created", errors: [] }]);
    }
    expect(results[20]!.counts).toMatchObject({ created: 1, rejected: 1 });
    expect(results[20]!.results).toMatchObject([
      { index: 0, status: "rejected", id: null, errors: [{ index: 0, field: "amount" }] },
      { index: 1, status: "created" },
    ]);
    expect(results[21]!.results).toMatchObject([
      { index: 0, status: "created" },
      { index: 1, status: "rejected", errors: [{ index: 1, code: "DUPLICATE" }] },
    ]);
    expect(results[21]!.results[1]!.errors[0]!.message).toContain("input item 0");
    expect(results[22]!.counts).toMatchObject({ updated: 1, created: 0 });
    expect(results[23]!.results).toMatchObject([
      { status: "rejected", errors: [{ code: "UNKNOWN_CUSTOMER" }] },
    ]);
    // Calls did share transactions, and each has its own audit entry with its own counts.
    expect(service.recordOrdersGrouping.transactions - transactionsBefore).toBeLessThan(
      calls.length,
    );
    expect(await count()).toBe(auditBefore + calls.length);
    const audited: { after_json: string }[] = await db.dataSource.query(
      "SELECT after_json FROM audit_log WHERE action = 'orders.record' ORDER BY id DESC LIMIT ?",
      [calls.length],
    );
    const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
    expect(sorted(audited.map((a) => JSON.parse(a.after_json)))).toEqual(
      sorted(results.map((r) => r.counts)),
    );
    const [g0] = await db.dataSource.query(
      "SELECT o.amount_minor, c.external_id AS customer FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.external_id = 'G0'",
    );
    expect(g0).toMatchObject({ customer: "C2" });
    expect(Number(g0.amount_minor)).toBe(200);
  });
});
