import {
  createRng,
  evaluateSegment,
  normaliseTags,
  parseMoney,
  printSegment,
  randomSegmentCondition,
  randomSegmentCustomer,
  type SegmentCustomer,
} from "@valuetier/domain";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource } from "../../db/data-source";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database";
import { compileAudience } from "./compile-audience";

// The SQL the audience compiler writes must select exactly the customers the segment
// language's reference evaluator keeps, on both databases: random customers (every field empty
// now and then) against random conditions, seeded so a failure can be replayed.

const TODAY = "2024-06-15";
const CUSTOMERS = 80;
const CONDITIONS = 400;

const minor = (amount: unknown): number | null =>
  amount == null ? null : (parseMoney(String(amount), "USD") as { minor: number }).minor;
const dateTime = (day: unknown): string | null =>
  day == null ? null : `${String(day)} 12:34:56.000`;
const tagsText = (tags: unknown): string =>
  tags == null
    ? ""
    : (normaliseTags(Array.isArray(tags) ? tags.join(";") : String(tags)) as { tags: string }).tags;

/**
 * Random customers as stored: the fields the database cannot leave empty (or holds once) are
 * set in the customer object too, so both sides see the same customer.
 */
function population(): SegmentCustomer[] {
  const rng = createRng(20241201);
  const usedIds = new Set<string>();
  const usedEmails = new Set<string>();
  return Array.from({ length: CUSTOMERS }, (_, i) => {
    const c: Record<string, unknown> = { ...randomSegmentCustomer(rng) };
    const id = c.external_id as string | undefined;
    c.external_id = id && !usedIds.has(id) ? id : `R${i}`;
    usedIds.add(c.external_id as string);
    const email = (c.email as string | undefined)?.toLowerCase();
    c.email = email && !usedEmails.has(email) ? email : null;
    if (c.email) usedEmails.add(c.email as string);
    c.name ??= "";
    c.created_at ??= "2023-01-01";
    c.order_count ??= 0;
    c.total_spent ??= "0";
    c.historical_value ??= "0";
    return c as SegmentCustomer;
  });
}

async function store(dataSource: DataSource, customers: SegmentCustomer[]): Promise<void> {
  await dataSource.query(
    "INSERT INTO scoring_runs (status, progress, phase, heartbeat_at, created_at, settings_json, triggered_by) " +
      "VALUES ('succeeded', 1, 'done', '2024-06-15 00:00:00.000', '2024-06-15 00:00:00.000', '{}', 'test')",
  );
  const runs = (await dataSource.query("SELECT MAX(id) AS id FROM scoring_runs")) as {
    id: number;
  }[];
  const runId = runs[0]!.id;
  for (const c of customers) {
    const f = c as Record<string, unknown>;
    await dataSource.query(
      "INSERT INTO customers (external_id, email, name, first_seen_at, acquisition_channel, acquisition_cost_minor, " +
        "tags, nps, order_count, total_spent_minor, first_order_at, last_order_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
      [
        f.external_id,
        f.email ?? null,
        f.name ?? "",
        dateTime(f.created_at),
        f.acquisition_channel ?? null,
        minor(f.acquisition_cost),
        tagsText(f.tags),
        f.nps ?? null,
        f.order_count,
        minor(f.total_spent),
        dateTime(f.first_order_date),
        dateTime(f.last_order_date),
      ],
    );
    const found = (await dataSource.query("SELECT id FROM customers WHERE external_id = ?", [
      f.external_id,
    ])) as { id: number }[];
    const id = found[0]!.id;
    await dataSource.query(
      "INSERT INTO customer_values (run_id, customer_id, clv_minor, historical_value_minor, p_alive, expected_purchases, " +
        "margin_minor, orders, frequency, tier_key, rfm_r, rfm_f, rfm_m, rfm_group, lifecycle_stage, churn_risk) " +
        "VALUES (?,?,?,?,?,?,0,0,0,?,?,?,?,?,?,?)",
      [
        runId,
        id,
        minor(f.clv),
        minor(f.historical_value),
        f.p_alive ?? null,
        f.expected_purchases ?? null,
        f.tier ?? null,
        f.rfm_r ?? null,
        f.rfm_f ?? null,
        f.rfm_m ?? null,
        f.rfm_group ?? null,
        f.lifecycle_stage ?? null,
        f.churn_risk ?? null,
      ],
    );
  }
}

function agreesOn(
  name: string,
  open: () => Promise<{ dataSource: DataSource; close: () => Promise<void> }>,
) {
  describe(`the audience compiler on ${name}`, () => {
    let dataSource: DataSource;
    let close: () => Promise<void>;
    const customers = population();

    beforeAll(async () => {
      ({ dataSource, close } = await open());
      await store(dataSource, customers);
    });

    afterAll(async () => {
      await close?.();
    });

    it(`selects what the reference evaluator keeps, for ${CONDITIONS} random conditions`, async () => {
      const rng = createRng(7);
      const driver = name === "MySQL" ? "mysql" : "sqlite";
      let nonTrivial = 0;
      for (let i = 0; i < CONDITIONS; i++) {
        const condition = randomSegmentCondition(rng);
        const audience = { condition };
        let compiled;
        try {
          compiled = compileAudience(audience, { driver, currency: "USD", today: TODAY });
        } catch (error) {
          // Only literals the store currency cannot hold may be refused (e.g. 0.001 USD).
          expect(String(error), printSegment(audience)).toMatch(/USD|decimal/);
          continue;
        }
        const from = compiled.usesValues
          ? "customers c LEFT JOIN customer_values v ON v.customer_id = c.id"
          : "customers c";
        const rows = (await dataSource.query(
          `SELECT c.external_id AS id FROM ${from} WHERE ${compiled.sql}`,
          compiled.params,
        )) as {
          id: string;
        }[];
        const bySql = rows.map((r) => r.id).sort();
        const byEvaluator = customers
          .filter((c) => evaluateSegment(audience, c, { today: TODAY }))
          .map((c) => String((c as Record<string, unknown>).external_id))
          .sort();
        expect(bySql, `${printSegment(audience)}\n${compiled.sql}`).toEqual(byEvaluator);
        if (byEvaluator.length > 0 && byEvaluator.length < CUSTOMERS) nonTrivial++;
      }
      // The conditions really split the population, rather than passing on empty sets.
      expect(nonTrivial).toBeGreaterThan(CONDITIONS / 4);
    });
  });
}

agreesOn("MySQL", async () => {
  const db: TestDatabase = await createTestDatabase("vt_audience_prop");
  return { dataSource: db.dataSource, close: () => db.drop() };
});

agreesOn("SQLite", async () => {
  const dataSource = createDataSource({ sqlitePath: ":memory:" });
  await dataSource.initialize();
  return { dataSource, close: () => dataSource.destroy() };
});
