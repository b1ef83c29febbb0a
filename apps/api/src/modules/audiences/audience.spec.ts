import type { Audience, AudienceField, Condition, Literal } from "@valuetier/domain";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource } from "../../db/data-source";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database";
import { systemActor } from "../audit/audit.service";
import { ImportService } from "../import/import.service";
import { CustomerValueEntity } from "../value/customer-value.entity";
import { ScoringRunEntity } from "../value/scoring-run.entity";
import { ValueQueryService } from "../value/value-query.service";
import { AudienceService } from "./audience.service";
import { compileAudience } from "./compile-audience";

const TODAY = "2025-06-15";
const num = (value: string): Literal => ({ type: "number", value });
const str = (value: string): Literal => ({ type: "string", value });
const cmp = (
  field: AudienceField,
  op: "=" | "!=" | "<" | "<=" | ">" | ">=",
  value: Literal,
): Condition => ({
  type: "compare",
  field,
  op,
  value,
});
const not = (condition: Condition): Condition => ({ type: "not", condition });
const and = (...conditions: Condition[]): Condition => ({ type: "and", conditions });
const or = (...conditions: Condition[]): Condition => ({ type: "or", conditions });
const audience = (condition: Condition | null): Audience => ({ condition });

/**
 * Five customers with known fields, scored by one succeeded run (A1–A4; A5 has no value row):
 *
 * | id | tier     | clv    | p_alive | orders | last order  | tags       | channel |
 * | A1 | high     | 900.00 | 0.9     | 3      | 2025-06-01  | vip;gift   | email   |
 * | A2 | mid_high | 300.00 | 0.6     | 2      | 2025-03-01  | vip        | paid    |
 * | A3 | low      | 20.00  | 0.2     | 1      | 2024-01-10  |            | email   |
 * | A4 | (none)   | (null) | (null)  | 0      | (none)      | newsletter | (null)  |
 * | A5 | —        | —      | —       | 1      | 2025-06-15  |            | organic |
 */
async function seed(dataSource: DataSource): Promise<void> {
  const imports = new ImportService(dataSource, {
    currency: "USD",
    now: () => new Date("2025-06-15T12:00:00Z"),
  });
  const actor = systemActor("test");
  await imports.upsertCustomers(
    [
      {
        external_id: "A1",
        email: "a1@example.test",
        name: "Ann One",
        created_at: "2024-01-01",
        acquisition_channel: "email",
        tags: "VIP;gift",
        nps: "9",
      },
      {
        external_id: "A2",
        email: "a2@example.test",
        name: "Bo Two",
        created_at: "2024-01-01",
        acquisition_channel: "paid",
        tags: "vip",
        nps: "6",
      },
      {
        external_id: "A3",
        email: "a3@example.test",
        name: "Cy 100% Three",
        created_at: "2024-01-01",
        acquisition_channel: "email",
      },
      { external_id: "A4", name: "", created_at: "2024-01-01", tags: "newsletter" },
      {
        external_id: "A5",
        email: "a5@example.test",
        name: "Di Five",
        created_at: "2024-01-01",
        acquisition_channel: "organic",
      },
    ],
    actor,
  );
  const order = (id: string, customer: string, placed: string, amount: string) => ({
    external_id: id,
    customer_external_id: customer,
    placed_at: placed,
    amount,
    margin: "",
    currency: "USD",
    status: "completed",
  });
  const recorded = await imports.recordOrders(
    [
      order("O1", "A1", "2025-01-01T10:00:00Z", "100.00"),
      order("O2", "A1", "2025-03-01T10:00:00Z", "100.00"),
      order("O3", "A1", "2025-06-01T10:00:00Z", "100.00"),
      order("O4", "A2", "2024-12-01T10:00:00Z", "50.00"),
      order("O5", "A2", "2025-03-01T23:59:59Z", "50.00"),
      order("O6", "A3", "2024-01-10T08:00:00Z", "20.00"),
      order("O7", "A5", "2025-06-15T09:00:00Z", "10.00"),
    ],
    actor,
  );
  expect(recorded.counts.rejected).toBe(0);
  const now = new Date("2025-06-15T00:00:00Z");
  const run = await dataSource.getRepository(ScoringRunEntity).save({
    status: "succeeded",
    activeLock: null,
    progress: 1,
    phase: "done",
    heartbeatAt: now,
    createdAt: now,
    startedAt: now,
    finishedAt: now,
    settingsJson: "{}",
    triggeredBy: "test",
  } as Partial<ScoringRunEntity>);
  const ids = new Map<string, number>(
    (
      (await dataSource.query("SELECT id, external_id FROM customers")) as {
        id: number;
        external_id: string;
      }[]
    ).map((r) => [r.external_id, Number(r.id)]),
  );
  const value = (ext: string, tier: string | null, clv: number | null, pAlive: number | null) => ({
    runId: run.id,
    customerId: ids.get(ext)!,
    clvMinor: clv,
    historicalValueMinor: 0,
    pAlive,
    expectedPurchases: null,
    expectedAvgValueMinor: null,
    marginMinor: 0,
    frequency: 0,
    orders: 0,
    recencyDays: null,
    ageDays: null,
    meanRepeatValueMinor: null,
    firstPurchaseAt: null,
    lastPurchaseAt: null,
    tierKey: tier,
    rfmR: null,
    rfmF: null,
    rfmM: null,
    rfmGroup: null,
    lifecycleStage: null,
    churnRisk: null,
    cluster: null,
  });
  await dataSource
    .getRepository(CustomerValueEntity)
    .insert([
      value("A1", "high", 90000, 0.9),
      value("A2", "mid_high", 30000, 0.6),
      value("A3", "low", 2000, 0.2),
      value("A4", null, null, null),
    ]);
}

/** Each audience and the customers it must hold. */
const CASES: [string, Condition | null, string[]][] = [
  ["everyone", null, ["A1", "A2", "A3", "A4", "A5"]],
  ["tier = high", cmp("tier", "=", str("high")), ["A1"]],
  // NULL-safe negation: A4 (no tier) and A5 (no value row) are not 'high'.
  ["NOT tier = high", not(cmp("tier", "=", str("high"))), ["A2", "A3", "A4", "A5"]],
  ["tier IN", { type: "in", field: "tier", values: [str("high"), str("mid_high")] }, ["A1", "A2"]],
  [
    "NOT tier IN",
    not({ type: "in", field: "tier", values: [str("high"), str("mid_high")] }),
    ["A3", "A4", "A5"],
  ],
  ["clv >= 300.00", cmp("clv", ">=", num("300.00")), ["A1", "A2"]],
  [
    "clv BETWEEN",
    { type: "between", field: "clv", low: num("20"), high: num("300") },
    ["A2", "A3"],
  ],
  ["p_alive < 0.3", cmp("p_alive", "<", num("0.3")), ["A3"]],
  ["NOT p_alive < 0.3", not(cmp("p_alive", "<", num("0.3"))), ["A1", "A2", "A4", "A5"]],
  ["clv IS NULL", { type: "isNull", field: "clv" }, ["A4", "A5"]],
  ["NOT clv IS NULL", not({ type: "isNull", field: "clv" }), ["A1", "A2", "A3"]],
  ["order_count >= 2", cmp("order_count", ">=", num("2")), ["A1", "A2"]],
  ["total_spent > 100.00", cmp("total_spent", ">", num("100.00")), ["A1"]],
  // Dates by UTC day: O5 at 23:59:59 on 2025-03-01 is on that day.
  [
    "last_order_date = 2025-03-01",
    cmp("last_order_date", "=", { type: "date", value: "2025-03-01" }),
    ["A2"],
  ],
  [
    "last_order_date < -90d",
    cmp("last_order_date", "<", { type: "relativeDate", amount: -90, unit: "d" }),
    ["A2", "A3"],
  ],
  [
    "last_order_date >= -3m",
    cmp("last_order_date", ">=", { type: "relativeDate", amount: -3, unit: "m" }),
    ["A1", "A5"],
  ],
  ["last_order_date = today", cmp("last_order_date", "=", { type: "today" }), ["A5"]],
  ["tags CONTAINS vip", { type: "contains", field: "tags", value: "VIP" }, ["A1", "A2"]],
  ["tags CONTAINS gif (whole tags only)", { type: "contains", field: "tags", value: "gif" }, []],
  ["tags IS NULL", { type: "isNull", field: "tags" }, ["A3", "A5"]],
  [
    "name CONTAINS 100% (wildcards literal)",
    { type: "contains", field: "name", value: "100%" },
    ["A3"],
  ],
  ["email = (case folded)", cmp("email", "=", str("A1@Example.test")), ["A1"]],
  ["channel != email", cmp("acquisition_channel", "!=", str("email")), ["A2", "A5"]],
  ["NOT channel = email", not(cmp("acquisition_channel", "=", str("email"))), ["A2", "A4", "A5"]],
  [
    "(tier = high OR p_alive < 0.3) AND NOT tags CONTAINS gift",
    and(
      or(cmp("tier", "=", str("high")), cmp("p_alive", "<", num("0.3"))),
      not({ type: "contains", field: "tags", value: "gift" }),
    ),
    ["A3"],
  ],
  ["external_id exact", cmp("external_id", "=", str("a1")), []],
];

function behavesOn(
  name: string,
  open: () => Promise<{ dataSource: DataSource; close: () => Promise<void> }>,
) {
  describe(`audiences on ${name}`, () => {
    let dataSource: DataSource;
    let close: () => Promise<void>;
    let service: AudienceService;

    beforeAll(async () => {
      ({ dataSource, close } = await open());
      await seed(dataSource);
      service = new AudienceService(dataSource, new ValueQueryService(dataSource), {
        currency: "USD",
        now: () => new Date(`${TODAY}T18:00:00Z`),
      });
    });

    afterAll(async () => {
      await close?.();
    });

    const externalIds = async (a: Audience) => {
      const page = await service.members(a, 100, null);
      return page.rows.map((c) => c.externalId).sort();
    };

    for (const [label, condition, expected] of CASES) {
      it(`holds exactly the right customers: ${label}`, async () => {
        expect(await externalIds(audience(condition))).toEqual(expected);
        expect(await service.count(audience(condition))).toBe(expected.length);
      });
    }

    it("pages members in id order with keyset cursors", async () => {
      const all: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page = await service.members(audience(null), 2, after);
        all.push(...page.rows.map((c) => c.externalId));
        if (!page.hasNextPage) break;
        after = page.cursors.at(-1)!;
      }
      expect(all).toEqual(["A1", "A2", "A3", "A4", "A5"]);
    });

    it("resolves saved segments, and refuses a missing one", async () => {
      const segments = new Map([[7, audience(cmp("tier", "=", str("high")))]]);
      expect(await service.count(audience(not({ type: "segment", segmentId: 7 })), segments)).toBe(
        4,
      );
      await expect(
        service.count(audience({ type: "segment", segmentId: 8 }), segments),
      ).rejects.toThrow("segment 8 does not exist");
    });
  });
}

behavesOn("MySQL", async () => {
  const db: TestDatabase = await createTestDatabase("vt_audience");
  return { dataSource: db.dataSource, close: () => db.drop() };
});

behavesOn("the embedded SQLite database", async () => {
  const dataSource = createDataSource({ sqlitePath: ":memory:" });
  await dataSource.initialize();
  return { dataSource, close: () => dataSource.destroy() };
});

describe("compiled audiences", () => {
  const hostile = [
    "'; DROP TABLE customers; --",
    "1 OR 1=1",
    "\\",
    "/* comment */",
    "x' UNION SELECT password_hash FROM users --",
    "\u0000nul",
    "%_!",
  ];

  it("never write a value into the SQL text", () => {
    for (const text of hostile) {
      const compiled = compileAudience(
        audience(
          or(
            cmp("name", "=", str(text)),
            { type: "contains", field: "email", value: text },
            { type: "contains", field: "tags", value: text },
            { type: "in", field: "acquisition_channel", values: [str(text), str("x")] },
          ),
        ),
        { driver: "mysql", currency: "USD", today: TODAY },
      );
      for (const part of text.split(/\s+/).filter((p) => p.length > 2)) {
        expect(compiled.sql).not.toContain(part);
      }
      // The only quoted text is the compiler's own: the LIKE escape, the tag separator and
      // the empty text.
      const own = compiled.sql.replaceAll("'!'", "").replaceAll("';'", "").replaceAll("''", "");
      expect(own).not.toContain("'");
      expect(compiled.params.length).toBeGreaterThanOrEqual(5);
    }
  });

  it("refuses conditions that do not fit their field", () => {
    const opts = { driver: "mysql" as const, currency: "USD", today: TODAY };
    expect(() => compileAudience(audience(cmp("order_count", ">", num("2.5"))), opts)).toThrow(
      "whole number",
    );
    expect(() => compileAudience(audience(cmp("clv", ">", str("big"))), opts)).toThrow("amount");
    expect(() => compileAudience(audience(cmp("churn_risk", "=", str("hgih"))), opts)).toThrow(
      "low, medium, high",
    );
    expect(() => compileAudience(audience(cmp("tags", "=", str("vip"))), opts)).toThrow("CONTAINS");
    expect(() =>
      compileAudience(
        audience(cmp("created_at", "<", { type: "date", value: "2025-02-30" })),
        opts,
      ),
    ).toThrow("not a date");
    expect(() => compileAudience(audience(cmp("clv", ">", num("1.005"))), opts)).toThrow();
  });
});
