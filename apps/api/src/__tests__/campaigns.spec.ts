import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { createServices } from "../composition";
import { toSqlDateTime } from "../db/sql-values";
import { startTestApi, type TestApi } from "../testing/test-server";

// A campaign end to end against MySQL: created for a tier, launched (audience frozen, groups by
// the stable hash), orders recorded through recordOrders earn the multiplier for treated
// customers and not for control ones, results show both groups; the budget is drawn exactly
// once under concurrent orders; illegal moves are refused; the scheduler starts and ends on time.

const CAMPAIGN_FIELDS = `id key status controlShare members { treatment control } budget { kind amount spent exhaustedAt }`;
const CREATE = `mutation($input: CreateCampaignInput!) {
  createCampaign(input: $input) { campaign { ${CAMPAIGN_FIELDS} } userErrors { field code message } }
}`;
const move = (name: string) => `mutation($id: ID!) {
  ${name}(id: $id) { campaign { ${CAMPAIGN_FIELDS} } userErrors { field code message } }
}`;
const RECORD = `mutation($input: [OrderInput!]!) {
  recordOrders(input: $input) { imported userErrors { field code message } }
}`;
const RESULTS = `query($id: ID!) { campaign(id: $id) { status results {
  treatment { customers converted revenue { amount } } control { customers converted revenue { amount } }
  revenuePerCustomer { estimate ci unadjustedEstimate sequentialCi conclusive } conversion { estimate ci }
  cost { pointsAwarded total { amount } } conclusive covariates
  clvChange { estimate ci treatmentMean controlMean } } } }`;

interface CampaignOut {
  id: string;
  key: string;
  status: string;
  controlShare: number;
  members: { treatment: number; control: number };
  budget: { kind: string; amount: string; spent: string; exhaustedAt: string | null } | null;
}
interface Payload {
  campaign: CampaignOut | null;
  userErrors: { field: string | null; code: string; message: string }[];
}

const CUSTOMERS = 2000;
const HIGH = 1200; // the first 1,200 customers are in tier "high", the rest in "low"

describe("campaigns", () => {
  let api: TestApi;
  let admin: string;
  let ds: DataSource;
  let ids: number[] = [];
  let orderSeq = 0;

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token = admin) => {
    const res = await api.gql<T>(query, variables, token);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  };
  const create = async (input: Record<string, unknown>) =>
    (await gql<{ createCampaign: Payload }>(CREATE, { input })).createCampaign;
  const act = async (name: string, id: string) =>
    (await gql<Record<string, Payload>>(move(name), { id }))[name]!;
  const record = (orders: { customer: number; amount: string; at?: Date }[]) =>
    gql<{ recordOrders: { imported: number; userErrors: unknown[] } }>(RECORD, {
      input: orders.map((o) => ({
        externalId: `O-${++orderSeq}`,
        customerExternalId: `C-${o.customer}`,
        placedAt: (o.at ?? new Date()).toISOString(),
        amount: o.amount,
        currency: "USD",
        status: "COMPLETED",
      })),
    });
  const groupOf = async (campaignId: string, customerId: number) => {
    const rows = (await ds.query(
      "SELECT grp FROM campaign_members WHERE campaign_id = ? AND customer_id = ?",
      [Number(campaignId), customerId],
    )) as { grp: string }[];
    return rows[0]?.grp ?? null;
  };
  const membersOf = async (campaignId: string, grp: "T" | "C") =>
    (
      (await ds.query(
        "SELECT customer_id AS id FROM campaign_members WHERE campaign_id = ? AND grp = ? ORDER BY customer_id",
        [Number(campaignId), grp],
      )) as { id: number | string }[]
    ).map((r) => Number(r.id));
  const earned = async (customerId: number) => {
    const rows = (await ds.query(
      "SELECT lifetime_earned AS n FROM loyalty_accounts WHERE customer_id = ?",
      [customerId],
    )) as { n: number | string }[];
    return Number(rows[0]?.n ?? 0);
  };
  const externalOf = (id: number) => `C-${ids.indexOf(id) + 1}`;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.adminToken();
    ds = api.db.dataSource;
    // Customers with a pre-period order each, and a scoring run placing them in tiers.
    for (let start = 0; start < CUSTOMERS; start += 500) {
      const part = Array.from(
        { length: Math.min(500, CUSTOMERS - start) },
        (_, i) => start + i + 1,
      );
      await ds.query(
        `INSERT INTO customers (external_id, name, first_seen_at, tags, order_count, total_spent_minor) VALUES ${part
          .map(() => "(?, '', '2024-01-01 00:00:00.000', '', 0, 0)")
          .join(", ")}`,
        part.map((k) => `C-${k}`),
      );
    }
    ids = (
      (await ds.query("SELECT id FROM customers ORDER BY id")) as { id: number | string }[]
    ).map((r) => Number(r.id));
    const before = toSqlDateTime(new Date(Date.now() - 20 * 86_400_000));
    for (let start = 0; start < CUSTOMERS; start += 500) {
      const part = ids.slice(start, start + 500);
      await ds.query(
        `INSERT INTO orders (external_id, customer_id, placed_at, amount_minor, margin_minor, currency, status) VALUES ${part
          .map(() => "(?, ?, ?, ?, NULL, 'USD', 'completed')")
          .join(", ")}`,
        part.flatMap((id, i) => [`P-${id}`, id, before, 1000 + ((start + i) % 7) * 1000]),
      );
    }
    await ds.query(
      "INSERT INTO scoring_runs (status, progress, phase, heartbeat_at, created_at, finished_at, settings_json, triggered_by) " +
        "VALUES ('succeeded', 1, 'done', ?, ?, ?, '{}', 'test')",
      [before, before, before],
    );
    const [run] = (await ds.query("SELECT MAX(id) AS id FROM scoring_runs")) as { id: number }[];
    for (let start = 0; start < CUSTOMERS; start += 500) {
      const part = ids.slice(start, start + 500);
      await ds.query(
        `INSERT INTO customer_values (run_id, customer_id, clv_minor, historical_value_minor, margin_minor, orders, frequency, tier_key) VALUES ${part
          .map(() => "(?, ?, ?, 0, 0, 1, 0, ?)")
          .join(", ")}`,
        part.flatMap((id, i) => [
          run!.id,
          id,
          5000 + ((start + i) % 11) * 700,
          start + i < HIGH ? "high" : "low",
        ]),
      );
    }
  });

  afterAll(async () => {
    await api?.close();
  });

  it("refuses a campaign that cannot work, naming each field", async () => {
    const refused = await create({
      name: "  ",
      audience: { tierKeys: ["gold"], query: "clv >" },
      offer: { pointsMultiplier: "0.5" },
      controlShare: 0.95,
    });
    expect(refused.campaign).toBeNull();
    const codes = Object.fromEntries(refused.userErrors.map((e) => [e.field, e.code]));
    expect(codes).toMatchObject({
      "input.name": "REQUIRED",
      "input.audience.query": "INVALID_QUERY",
      "input.offer.pointsMultiplier": "INVALID_MULTIPLIER",
      "input.controlShare": "INVALID_CONTROL_SHARE",
    });
    const unknownTier = await create({
      name: "Gold",
      audience: { tierKeys: ["gold"] },
      offer: { bonusPoints: 10 },
    });
    expect(unknownTier.userErrors[0]).toMatchObject({
      field: "input.audience.tierKeys",
      code: "UNKNOWN_TIER",
    });
  });

  it("launches for a tier, treated orders earn the multiplier and control orders do not", async () => {
    const plan = await gql<{
      campaignPlan: {
        count: number;
        expectedControl: number;
        revenuePerCustomerMde: { fixedHorizon: number } | null;
      };
    }>(
      `query { campaignPlan(audience: { tierKeys: ["high"] }, controlShare: 0.2) { count expectedControl revenuePerCustomerMde { fixedHorizon } } }`,
    );
    expect(plan.campaignPlan.count).toBe(HIGH);
    expect(plan.campaignPlan.expectedControl).toBe(240);
    expect(plan.campaignPlan.revenuePerCustomerMde!.fixedHorizon).toBeGreaterThan(0);

    const created = await create({
      name: "Double points for high value",
      audience: { tierKeys: ["high"] },
      offer: { pointsMultiplier: "2" },
      controlShare: 0.2,
    });
    expect(created.userErrors).toEqual([]);
    expect(created.campaign).toMatchObject({
      key: "double-points-for-high-value",
      status: "DRAFT",
      controlShare: 0.2,
    });
    const id = created.campaign!.id;

    const launched = await act("launchCampaign", id);
    expect(launched.userErrors).toEqual([]);
    const { treatment, control } = launched.campaign!.members;
    expect(launched.campaign!.status).toBe("RUNNING");
    expect(treatment + control).toBe(HIGH);
    // Binomial(1200, 0.2): mean 240, sd 13.9; four sd either side.
    expect(Math.abs(control - 240)).toBeLessThan(56);

    // The same customer lands in the same group whenever asked: the hash, not a draw.
    const treated = await membersOf(id, "T");
    const controls = await membersOf(id, "C");
    const t = treated[0]!;
    const c = controls[0]!;
    const before = { t: await earned(t), c: await earned(c) };
    const res = await gql<{ recordOrders: { imported: number; userErrors: unknown[] } }>(RECORD, {
      input: [t, c].map((customer) => ({
        externalId: `O-${++orderSeq}`,
        customerExternalId: externalOf(customer),
        placedAt: new Date().toISOString(),
        amount: "100.00",
        currency: "USD",
        status: "COMPLETED",
      })),
    });
    expect(res.recordOrders.userErrors).toEqual([]);
    // Default loyalty settings: 1 point per unit, so 100 points, doubled for the treated customer.
    expect((await earned(t)) - before.t).toBe(200);
    expect((await earned(c)) - before.c).toBe(100);
    const effects = (await ds.query(
      "SELECT customer_id AS id, extra_points AS extra FROM campaign_effects WHERE campaign_id = ?",
      [Number(id)],
    )) as { id: number | string; extra: number | string }[];
    expect(effects.map((e) => [Number(e.id), Number(e.extra)])).toEqual([[t, 100]]);

    const memberships = await gql<{
      customer: { campaigns: { campaign: { id: string }; group: string }[] };
    }>(`query($id: ID!) { customer(id: $id) { campaigns { campaign { id } group } } }`, {
      id: String(c),
    });
    expect(memberships.customer.campaigns).toEqual([{ campaign: { id }, group: "CONTROL" }]);

    // More orders from both groups, then the results show both groups.
    await record(
      [...treated.slice(1, 60), ...controls.slice(1, 20)].map((customer, i) => ({
        customer: ids.indexOf(customer) + 1,
        amount: `${40 + (i % 5) * 10}.00`,
      })),
    );
    const results = await gql<{
      campaign: {
        results: {
          treatment: { customers: number; converted: number; revenue: { amount: string } };
          control: { customers: number; converted: number };
          revenuePerCustomer: {
            estimate: number;
            ci: number[];
            unadjustedEstimate: number;
            sequentialCi: number[];
          };
          cost: { pointsAwarded: number; total: { amount: string } };
          covariates: string[];
          clvChange: { estimate: number; treatmentMean: number; controlMean: number } | null;
        };
      };
    }>(RESULTS, { id });
    const r = results.campaign.results;
    expect(r.treatment.customers).toBe(treatment);
    expect(r.control.customers).toBe(control);
    expect(r.treatment.converted).toBe(60);
    expect(r.control.converted).toBe(20);
    expect(r.revenuePerCustomer.ci).toHaveLength(2);
    expect(r.revenuePerCustomer.ci[0]).toBeLessThanOrEqual(r.revenuePerCustomer.estimate);
    expect(r.revenuePerCustomer.sequentialCi[1]).toBeGreaterThanOrEqual(
      r.revenuePerCustomer.ci[1]!,
    );
    expect(r.covariates).toContain("pre_revenue");
    // Each treated order doubled its points: the campaign's cost is those extra points.
    expect(r.cost.pointsAwarded).toBeGreaterThan(100);
    expect(r.cost.total.amount).toBe((r.cost.pointsAwarded / 100).toFixed(2));
    expect(r.clvChange).toBeNull();

    // A scoring run after the launch: treated members' predicted CLV rose by 20.00 more.
    const at = toSqlDateTime(new Date());
    await ds.query(
      "INSERT INTO scoring_runs (status, progress, phase, heartbeat_at, created_at, finished_at, settings_json, triggered_by) " +
        "VALUES ('succeeded', 1, 'done', ?, ?, ?, '{}', 'test')",
      [at, at, at],
    );
    const [run] = (await ds.query("SELECT MAX(id) AS id FROM scoring_runs")) as { id: number }[];
    // Every customer keeps their tier in the new run (later tests aim at "low").
    await ds.query(
      "INSERT INTO customer_values (run_id, customer_id, clv_minor, historical_value_minor, margin_minor, orders, frequency, tier_key) " +
        "SELECT ?, v.customer_id, v.clv_minor + CASE WHEN m.grp = 'T' THEN 2500 WHEN m.grp = 'C' THEN 500 ELSE 0 END + (v.customer_id % 7) * 10, " +
        "0, 0, 1, 0, v.tier_key FROM customer_values v " +
        "LEFT JOIN campaign_members m ON m.campaign_id = ? AND m.customer_id = v.customer_id WHERE v.run_id = ?",
      [run!.id, Number(id), run!.id - 1],
    );
    const later = await gql<{
      campaign: { results: { clvChange: { estimate: number; treatmentMean: number } | null } };
    }>(RESULTS, { id });
    expect(later.campaign.results.clvChange!.estimate).toBeCloseTo(20, 0);
    expect(later.campaign.results.clvChange!.treatmentMean).toBeGreaterThan(25);
  });

  it("refuses illegal moves as user errors and keeps launched campaigns' audience", async () => {
    const { campaigns } = await gql<{
      campaigns: { edges: { node: { id: string; status: string } }[] };
    }>("{ campaigns(first: 10) { edges { node { id status } } } }");
    const running = campaigns.edges.find((e) => e.node.status === "RUNNING")!.node.id;
    const again = await act("launchCampaign", running);
    expect(again.campaign).toBeNull();
    expect(again.userErrors[0]).toMatchObject({ code: "INVALID_TRANSITION" });
    expect(again.userErrors[0]!.message).toMatch(/running campaign cannot launch/);
    const schedule = await act("scheduleCampaign", running);
    expect(schedule.userErrors[0]).toMatchObject({ code: "INVALID_TRANSITION" });
    const locked = await gql<{ updateCampaign: Payload }>(
      `mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) { campaign { id } userErrors { field code } } }`,
      { input: { id: running, audience: { tierKeys: ["low"] } } },
    );
    expect(locked.updateCampaign.userErrors).toEqual([
      { field: "input.audience", code: "LOCKED_AFTER_LAUNCH" },
    ]);
    expect((await act("pauseCampaign", running)).campaign!.status).toBe("PAUSED");
    expect((await act("resumeCampaign", running)).campaign!.status).toBe("RUNNING");
    expect((await act("endCampaign", running)).campaign!.status).toBe("ENDED");
    const afterEnd = await act("resumeCampaign", running);
    expect(afterEnd.userErrors[0]!.message).toMatch(/ended campaign is final/);
    const draft = await create({
      name: "Never scheduled",
      audience: { tierKeys: ["low"] },
      offer: { bonusPoints: 5 },
    });
    const noStart = await act("scheduleCampaign", draft.campaign!.id);
    expect(noStart.userErrors[0]).toMatchObject({ code: "INVALID_TRANSITION", field: "startsAt" });
    const notRunning = await act("pauseCampaign", draft.campaign!.id);
    expect(notRunning.userErrors[0]).toMatchObject({ code: "INVALID_TRANSITION" });
    // An analyst reads campaigns but cannot change them.
    await gql(
      `mutation { createUser(input: { email: "ana@example.test", password: "analyst password 1", role: ANALYST }) { user { id } } }`,
    );
    const login = await api.gql<{ login: { token: string } }>(
      `mutation { login(email: "ana@example.test", password: "analyst password 1") { token } }`,
    );
    const analyst = login.data!.login.token;
    const read = await api.gql("{ campaigns(first: 5) { totalCount } }", {}, analyst);
    expect(read.errors).toBeUndefined();
    const write = await api.gql(move("endCampaign"), { id: draft.campaign!.id }, analyst);
    expect(write.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("draws the budget exactly once per effect under concurrent orders, then stops the offer", async () => {
    const created = await create({
      name: "Bonus for low value",
      audience: { tierKeys: ["low"] },
      offer: { bonusPoints: 100 },
      controlShare: 0.1,
      budget: { kind: "POINTS", amount: "750", onExhausted: "STOP_OFFERS" },
    });
    const id = created.campaign!.id;
    expect((await act("launchCampaign", id)).userErrors).toEqual([]);
    const treated = (await membersOf(id, "T")).slice(0, 24);
    // 12 concurrent recordOrders calls of 2 treated customers each: 24 effects of 100 points
    // competing for a budget of 750.
    await Promise.all(
      Array.from({ length: 12 }, (_, k) =>
        record(
          treated
            .slice(2 * k, 2 * k + 2)
            .map((cid) => ({ customer: ids.indexOf(cid) + 1, amount: "10.00" })),
        ),
      ),
    );
    const [row] = (await ds.query(
      "SELECT spent, budget_exhausted_at AS exhausted FROM campaigns WHERE id = ?",
      [Number(id)],
    )) as { spent: number | string; exhausted: unknown }[];
    const [effects] = (await ds.query(
      "SELECT COUNT(*) AS n, COALESCE(SUM(extra_points), 0) AS points FROM campaign_effects WHERE campaign_id = ?",
      [Number(id)],
    )) as { n: number | string; points: number | string }[];
    const [bonuses] = (await ds.query(
      "SELECT COUNT(*) AS n, COALESCE(SUM(points), 0) AS points FROM loyalty_entries WHERE source = ?",
      [`campaign:${id}`],
    )) as { n: number | string; points: number | string }[];
    expect(Number(effects!.n)).toBe(7);
    expect(Number(row!.spent)).toBe(700);
    expect(Number(effects!.points)).toBe(700);
    // The ledger credited exactly the accepted bonuses: none past the budget, none twice.
    expect(Number(bonuses!.n)).toBe(7);
    expect(Number(bonuses!.points)).toBe(700);
    expect(row!.exhausted).not.toBeNull();
    // Offers have stopped; the campaign still runs for measurement.
    const after = await gql<{ campaign: CampaignOut }>(
      `query($id: ID!) { campaign(id: $id) { ${CAMPAIGN_FIELDS} } }`,
      { id },
    );
    expect(after.campaign.status).toBe("RUNNING");
    expect(after.campaign.budget).toMatchObject({ kind: "POINTS", amount: "750", spent: "700" });
    // A control member's order never drew anything.
    const control = (await membersOf(id, "C"))[0]!;
    await record([{ customer: ids.indexOf(control) + 1, amount: "10.00" }]);
    const [still] = (await ds.query("SELECT spent FROM campaigns WHERE id = ?", [Number(id)])) as {
      spent: number | string;
    }[];
    expect(Number(still!.spent)).toBe(700);
  });

  it("lets a customer who newly matches join at their first order, by the same hash", async () => {
    const created = await create({
      name: "Later entrants",
      audience: { query: "tags CONTAINS 'newcomer'" },
      offer: { bonusPoints: 7 },
      controlShare: 0.5,
    });
    const id = created.campaign!.id;
    expect((await act("launchCampaign", id)).campaign!.members).toEqual({
      treatment: 0,
      control: 0,
    });
    const newcomers = ids.slice(1900, 1940);
    await ds.query(
      `UPDATE customers SET tags = 'newcomer' WHERE id IN (${newcomers.map(() => "?").join(",")})`,
      newcomers,
    );
    await record(newcomers.map((cid) => ({ customer: ids.indexOf(cid) + 1, amount: "20.00" })));
    const rows = (await ds.query(
      "SELECT customer_id AS id, grp, late FROM campaign_members WHERE campaign_id = ?",
      [Number(id)],
    )) as { id: number | string; grp: string; late: number | string }[];
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => Number(r.late) === 1)).toBe(true);
    const treated = rows.filter((r) => r.grp === "T").map((r) => Number(r.id));
    expect(treated.length).toBeGreaterThan(5);
    expect(treated.length).toBeLessThan(35);
    const [bonus] = (await ds.query("SELECT COUNT(*) AS n FROM loyalty_entries WHERE source = ?", [
      `campaign:${id}`,
    ])) as { n: number | string }[];
    expect(Number(bonus!.n)).toBe(treated.length);
    expect(await groupOf(id, treated[0]!)).toBe("T");
  });

  it("starts and ends campaigns on their schedule, once", async () => {
    const services = createServices(ds, api.config);
    // Start and end far enough ahead that creating and scheduling the campaign under CI load
    // (once over 300 ms) still ends before the start; the waits go to the instants themselves.
    const start = new Date(Date.now() + 3000);
    const created = await create({
      name: "Scheduled",
      audience: { tierKeys: ["low"] },
      offer: { pointsMultiplier: "1.5" },
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 1000).toISOString(),
    });
    const id = created.campaign!.id;
    expect((await act("scheduleCampaign", id)).campaign!.status).toBe("SCHEDULED");
    expect((await services.campaigns.runSchedule()).launched).toEqual([]);
    await new Promise((r) => setTimeout(r, start.getTime() + 100 - Date.now()));
    const [first, second] = await Promise.all([
      services.campaigns.runSchedule(),
      services.campaigns.runSchedule(),
    ]);
    expect([...first.launched, ...second.launched]).toEqual([Number(id)]);
    const [launches] = (await ds.query(
      "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'campaign.launch' AND entity_id = ?",
      [id],
    )) as { n: number | string }[];
    expect(Number(launches!.n)).toBe(1);
    await new Promise((r) => setTimeout(r, start.getTime() + 1100 - Date.now()));
    expect((await services.campaigns.runSchedule()).ended).toEqual([Number(id)]);
    expect((await services.campaigns.runSchedule()).ended).toEqual([]);
    const [row] = (await ds.query("SELECT status FROM campaigns WHERE id = ?", [Number(id)])) as {
      status: string;
    }[];
    expect(row!.status).toBe("ended");
  });
});
