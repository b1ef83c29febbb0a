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
    // Loyalty fields come from one account: both empty without it, and points expiring are
    // the points left in lots, never fewer than none.
    if (c.points_balance == null) c.points_expiring = null;
    else c.points_expiring = Math.max(0, Number(c.points_expiring ?? 0));
    return c as SegmentCustomer;
  });
}

/** The fields read from loyalty and campaigns rather than the customer's row. */
const LATER_FIELDS = ["points_balance", "points_expiring", "campaign"];

/** Every campaign key the random customers may be in, and one nobody is in. */
const CAMPAIGN_KEYS = ["spring-sale", "winback", "vip-days", "unused"];

/** A UTC instant `days` after TODAY at `time`, as the DATETIME columns hold it. */
const at = (days: number, time: string): string => {
  const d = new Date(Date.parse(`${TODAY}T00:00:00Z`) + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)} ${time}`;
};

/**
 * The customer's loyalty account and lots: the expiring points split between a lot expiring
 * late today and one on the last day of the window, beside lots that must not count (expired
 * yesterday but not yet written off, expiring the day after the window, closed, without expiry,
 * the debt lot).
 */
async function storeLoyalty(dataSource: DataSource, id: number, f: Record<string, unknown>) {
  if (f.points_balance == null) return;
  await dataSource.query(
    "INSERT INTO loyalty_accounts (customer_id, balance, available, pending) VALUES (?, ?, ?, 0)",
    [id, f.points_balance, f.points_balance],
  );
  const expiring = Number(f.points_expiring);
  const lots: [number, number, string | null, number][] = [
    [0, -3, null, 1],
    [7, 40, at(-1, "23:59:59.000"), 1],
    [8, 50, at(31, "00:00:00.000"), 1],
    [9, 60, at(5, "12:00:00.000"), 0],
    [10, 70, null, 1],
  ];
  if (expiring > 0) lots.push([1, 1, at(30, "23:59:59.999"), 1]);
  if (expiring > 1) lots.push([2, expiring - 1, at(0, "00:00:00.000"), 1]);
  for (const [lotNo, remaining, expiresAt, isOpen] of lots) {
    await dataSource.query(
      "INSERT INTO loyalty_lots (account_id, lot_no, kind, source, points, remaining, earned_at, pending_until, " +
        "expires_at, available, is_open) VALUES (?, ?, 'earn', 'test', ?, ?, ?, ?, ?, 1, ?)",
      [
        id,
        lotNo,
        Math.max(remaining, 0),
        remaining,
        at(-100, "00:00:00.000"),
        at(-70, "00:00:00.000"),
        expiresAt,
        isOpen,
      ],
    );
  }
}

async function storeCampaigns(dataSource: DataSource): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const key of CAMPAIGN_KEYS) {
    await dataSource.query(
      "INSERT INTO campaigns (campaign_key, name, status, audience_json, time_zone, offer_json, control_share_bp, " +
        "pre_period_days, on_budget_exhausted, owner, created_at, updated_at) " +
        "VALUES (?, ?, 'running', '{}', 'UTC', '{}', 1000, 90, 'end', 'test', ?, ?)",
      [key, key, at(-30, "00:00:00.000"), at(-30, "00:00:00.000")],
    );
    const rows = (await dataSource.query("SELECT id FROM campaigns WHERE campaign_key = ?", [
      key,
    ])) as { id: number }[];
    ids.set(key, Number(rows[0]!.id));
  }
  return ids;
}

async function store(dataSource: DataSource, customers: SegmentCustomer[]): Promise<void> {
  const campaigns = await storeCampaigns(dataSource);
  let members = 0;
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
    await storeLoyalty(dataSource, id, f);
    // Members of either group: the control group counts as membership too.
    for (const key of (f.campaign as string[] | undefined) ?? []) {
      await dataSource.query(
        "INSERT INTO campaign_members (campaign_id, customer_id, grp, joined_at) VALUES (?, ?, ?, ?)",
        [campaigns.get(key), id, members++ % 3 === 0 ? "C" : "T", at(-20, "00:00:00.000")],
      );
    }
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
      const splitBy = new Map(LATER_FIELDS.map((f) => [f, 0]));
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
        if (byEvaluator.length > 0 && byEvaluator.length < CUSTOMERS) {
          nonTrivial++;
          const text = printSegment(audience);
          for (const field of LATER_FIELDS)
            if (text.includes(field)) splitBy.set(field, splitBy.get(field)! + 1);
        }
      }
      // Loyalty and campaign fields are among them, not only the customer's own columns.
      for (const [field, count] of splitBy) expect(count, field).toBeGreaterThan(5);
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
