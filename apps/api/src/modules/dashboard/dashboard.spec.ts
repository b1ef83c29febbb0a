import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../audit/audit.service";
import { seedDemo } from "../../demo/seed-demo";
import { ScoringRunService } from "../value/scoring-run.service";
import { startTestApi, type TestApi } from "../../testing/test-server";

const DASHBOARD = `{ dashboard {
  customers buyers activeCustomers revenue { amount currency } averageOrderValue { amount }
  repeatPurchaseRate totalClv { amount } averageClv { amount } averageCac { amount } clvToCac scoredAt
} }`;

interface Kpis {
  customers: number;
  buyers: number;
  activeCustomers: number | null;
  revenue: { amount: string; currency: string };
  averageOrderValue: { amount: string } | null;
  repeatPurchaseRate: number | null;
  totalClv: { amount: string } | null;
  averageClv: { amount: string } | null;
  averageCac: { amount: string } | null;
  clvToCac: number | null;
  scoredAt: string | null;
}

describe("dashboard KPIs", () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.adminToken();
    await seedDemo(api.db.dataSource, api.config, () => undefined, {
      customers: 400,
      now: new Date("2026-06-30T00:00:00Z"),
    });
  });
  afterAll(async () => api?.close());

  /** The same figures straight from the tables, to compare with. */
  async function expected() {
    const [c] = await api.db.dataSource.query(
      `SELECT COUNT(*) n, SUM(order_count > 0) buyers, SUM(order_count > 1) repeaters,
              SUM(total_spent_minor) revenue, SUM(order_count) orders, AVG(acquisition_cost_minor) cac
         FROM customers`,
    );
    const [o] = await api.db.dataSource.query(
      "SELECT COUNT(*) n, SUM(amount_minor) revenue FROM orders WHERE status = 'completed'",
    );
    return { c, o };
  }

  it("shows customers, revenue and order figures before any scoring run, and no value yet", async () => {
    const res = await api.gql<{ dashboard: Kpis }>(DASHBOARD, {}, token);
    expect(res.errors).toBeUndefined();
    const d = res.data!.dashboard;
    const { c, o } = await expected();
    expect(d.customers).toBe(400);
    expect(d.buyers).toBe(Number(c.buyers));
    // revenue and order counts agree with the orders table: completed orders only
    expect(d.revenue).toEqual({ amount: (Number(o.revenue) / 100).toFixed(2), currency: "USD" });
    expect(Number(c.orders)).toBe(Number(o.n));
    expect(d.averageOrderValue!.amount).toBe(
      (Math.round(Number(o.revenue) / Number(o.n)) / 100).toFixed(2),
    );
    expect(d.repeatPurchaseRate).toBeCloseTo(Number(c.repeaters) / Number(c.buyers), 12);
    expect(d.averageCac!.amount).toBe((Math.round(Number(c.cac)) / 100).toFixed(2));
    expect(d).toMatchObject({
      activeCustomers: null,
      totalClv: null,
      averageClv: null,
      clvToCac: null,
      scoredAt: null,
    });
  });

  it("adds the current run's value figures once a run succeeds", async () => {
    const run = await new ScoringRunService(api.db.dataSource, {
      currency: "USD",
      defaultMarginRate: api.config.defaultMarginRate,
    }).runNow(systemActor("test"));
    expect(run.status).toBe("succeeded");
    const [v] = await api.db.dataSource.query(
      "SELECT SUM(clv_minor) total, COUNT(clv_minor) n, SUM(p_alive > 0.5) active FROM customer_values WHERE run_id = ?",
      [run.id],
    );
    const d = (await api.gql<{ dashboard: Kpis }>(DASHBOARD, {}, token)).data!.dashboard;
    expect(d.activeCustomers).toBe(Number(v.active));
    expect(d.activeCustomers).toBeGreaterThan(0);
    expect(d.totalClv!.amount).toBe((Number(v.total) / 100).toFixed(2));
    expect(d.averageClv!.amount).toBe((Math.round(Number(v.total) / Number(v.n)) / 100).toFixed(2));
    expect(d.clvToCac).toBeCloseTo(Number(d.averageClv!.amount) / Number(d.averageCac!.amount), 12);
    expect(new Date(d.scoredAt!).getTime()).toBe(run.finishedAt!.getTime());
  });
});
