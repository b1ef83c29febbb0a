import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "typeorm";
import { defaultValueSettings } from "@valuetier/domain";
import { insertFixture, syntheticFixture } from "../../__tests__/value-fixtures";
import { startServer } from "../../server";
import { startTestApi, type TestApi } from "../../testing/test-server";
import { AuditEntryEntity } from "../audit/audit-entry.entity";
import { systemActor } from "../audit/audit.service";
import { CustomerValueEntity } from "./customer-value.entity";
import { settleScoringJobs } from "./scoring-jobs";
import { ScoringRunEntity } from "./scoring-run.entity";
import { ScoringRunService } from "./scoring-run.service";

/** Counts SQL statements that mention customer_values while `counting` is on. */
class ValueQueryCounter implements Logger {
  counting = false;
  queries: string[] = [];
  logQuery(query: string) {
    if (this.counting && query.includes("customer_values")) this.queries.push(query);
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}

interface RunFields {
  id: string;
  status: string;
  progress: number;
  customersScored: number;
  isCurrent: boolean;
  error: string | null;
}

interface ValueFields {
  clv: { amount: string; currency: string } | null;
  historicalValue: { amount: string };
  pAlive: number | null;
  expectedPurchases: number | null;
  expectedAverageOrderValue: { amount: string } | null;
  frequency: number;
  model: string;
  runId: string;
  scoredAt: string;
}

interface Page {
  customers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { id: string; externalId: string; value: ValueFields | null } }[];
  };
}

const RUN_FIELDS = "id status progress customersScored isCurrent error";
const VALUE_FIELDS =
  "clv { amount currency } historicalValue { amount } pAlive expectedPurchases expectedAverageOrderValue { amount } frequency model runId scoredAt";
const LIST = `query($first: Int!, $after: String, $orderBy: CustomerOrderBy, $filter: CustomerFilter) {
  customers(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id externalId value { ${VALUE_FIELDS} } } }
  }
}`;

const cents = (money: { amount: string } | null) =>
  money === null ? null : Math.round(Number(money.amount) * 100);

describe("value over GraphQL", () => {
  const counter = new ValueQueryCounter();
  let api: TestApi;
  let token: string;
  let ids: Map<string, number>;

  beforeAll(async () => {
    api = await startTestApi({ logger: counter });
    token = await api.adminToken();
    const base = syntheticFixture(250, 5);
    // Six customers with identical histories tie on CLV and P(alive), so that ties straddle
    // page boundaries and the id tie-breaker must work on doubles read back from the database.
    const twins = Array.from({ length: 6 }, (_, i) => `TWIN${i}`);
    ids = await insertFixture(
      api.db.dataSource,
      [
        ...base.customers,
        { externalId: "PROSPECT", firstSeenAt: "2024-05-01T00:00:00Z", acquisitionCostMinor: 1234 },
        ...twins.map((externalId) => ({
          externalId,
          firstSeenAt: "2024-03-01T00:00:00Z",
          acquisitionCostMinor: 500,
        })),
      ],
      [
        ...base.orders,
        ...twins.flatMap((customer) =>
          ["2024-03-01T10:00:00Z", "2024-06-01T10:00:00Z", "2024-07-15T10:00:00Z"].map(
            (placedAt, k) => ({
              externalId: `${customer}-${k}`,
              customer,
              placedAt,
              amountMinor: 4200,
              marginMinor: 1000,
            }),
          ),
        ),
      ],
    );
  });
  afterAll(async () => api?.close());

  const gql = <T>(query: string, variables?: Record<string, unknown>, as = token) =>
    api.gql<T>(query, variables, as);

  async function waitFor(id: string): Promise<RunFields> {
    await settleScoringJobs(api.db.dataSource);
    const res = await gql<{ scoringRun: RunFields }>(
      `query($id: ID!) { scoringRun(id: $id) { ${RUN_FIELDS} } }`,
      { id },
    );
    return res.data!.scoringRun;
  }

  async function allCustomers(orderBy: unknown, filter?: unknown, first = 17) {
    const seen: Page["customers"]["edges"][number]["node"][] = [];
    let after: string | null = null;
    let total = -1;
    for (let guard = 0; guard < 100; guard++) {
      const res = await gql<Page>(LIST, { first, after, orderBy, filter });
      expect(res.errors).toBeUndefined();
      const page: Page["customers"] = res.data!.customers;
      total = page.totalCount;
      seen.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return { seen, total };
  }

  it("has no values and default settings before the first run", async () => {
    const res = await gql<{
      valueModel: unknown;
      valueSettings: Record<string, unknown>;
      customers: Page["customers"];
    }>(
      `{ valueModel { runId } valueSettings { model horizonMonths monthlyDiscountRate defaultMarginRate cacSource fixedCac { amount } timeUnit updatedAt }
         customers(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id externalId value { clv { amount currency } } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.valueModel).toBeNull();
    expect(res.data!.valueSettings).toEqual({
      model: "BGNBD",
      horizonMonths: 12,
      monthlyDiscountRate: "0.01",
      defaultMarginRate: "0.3",
      cacSource: "CHANNEL",
      fixedCac: null,
      timeUnit: "WEEK",
      updatedAt: null,
    });
    expect(res.data!.customers.edges.map((e) => e.node.value)).toEqual([null, null]);
  });

  it("returns the run under way instead of starting a second one", async () => {
    // A run another live process holds (this host and pid, fresh heartbeat).
    const runs = api.db.dataSource.getRepository(ScoringRunEntity);
    const now = new Date();
    const busy = await runs.save(
      runs.create({
        status: "running",
        activeLock: 1,
        phase: "aggregating",
        progress: 0.2,
        customersScored: 0,
        customersTotal: 257,
        runner: `${hostname()} ${process.pid}`,
        heartbeatAt: now,
        createdAt: now,
        settingsJson: JSON.stringify(defaultValueSettings("0.3")),
        triggeredBy: "someone else",
      }),
    );
    const res = await gql<{ runScoring: RunFields }>(`mutation { runScoring { ${RUN_FIELDS} } }`);
    await runs.update({ id: busy.id }, { status: "failed", activeLock: null, error: "test" });
    expect(res.data!.runScoring).toMatchObject({
      id: String(busy.id),
      status: "RUNNING",
      progress: 0.2,
    });
    expect(await runs.count()).toBe(1);
  });

  it("runs scoring in the background and serves every customer's value from it", async () => {
    const started = await gql<{ runScoring: RunFields }>(
      `mutation { runScoring { ${RUN_FIELDS} } }`,
    );
    expect(started.errors).toBeUndefined();
    expect(started.data!.runScoring).toMatchObject({
      status: "QUEUED",
      progress: 0,
      isCurrent: false,
    });
    const run = await waitFor(started.data!.runScoring.id);
    expect(run).toMatchObject({
      status: "SUCCEEDED",
      progress: 1,
      customersScored: 257,
      isCurrent: true,
    });

    counter.counting = true;
    const page = await gql<Page>(LIST, { first: 100 });
    counter.counting = false;
    expect(page.errors).toBeUndefined();
    // One query for the values of the whole page.
    expect(counter.queries).toHaveLength(1);
    counter.queries = [];
    const stored = await api.db.dataSource
      .getRepository(CustomerValueEntity)
      .findBy({ runId: Number(run.id) });
    const byId = new Map(stored.map((v) => [String(v.customerId), v]));
    for (const { node } of page.data!.customers.edges) {
      const row = byId.get(node.id)!;
      expect(node.value).toMatchObject({ runId: run.id, model: "BGNBD", frequency: row.frequency });
      expect(cents(node.value!.clv)).toBe(row.clvMinor);
      expect(cents(node.value!.historicalValue)).toBe(row.historicalValueMinor);
      expect(node.value!.pAlive).toBe(row.pAlive);
      expect(node.value!.expectedPurchases).toBe(row.expectedPurchases);
      expect(cents(node.value!.expectedAverageOrderValue)).toBe(row.expectedAvgValueMinor);
    }
    const prospect = await gql<{ customer: { value: ValueFields } }>(
      `query($id: ID) { customer(id: $id) { value { ${VALUE_FIELDS} } } }`,
      { id: String(ids.get("PROSPECT")) },
    );
    expect(prospect.data!.customer.value).toMatchObject({
      clv: null,
      historicalValue: { amount: "-12.34" },
      pAlive: null,
      expectedPurchases: null,
    });
  });

  it("gives the Model page the fit, its standard errors and the holdout series", async () => {
    type Params = Record<string, number>;
    type Point = { period: number; actual: number; predicted: number };
    interface ModelPage {
      valueModel: {
        timeUnit: string;
        customers: number;
        customersWithOrders: number;
        bgnbd: { params: Params; standardErrors: Params; logLikelihood: number };
        gammaGamma: { params: Params };
        holdout: {
          customers: number;
          actual: number;
          predicted: number;
          tracking: Point[];
          calibration: { purchases: number; customers: number }[];
        };
      };
    }
    const res = await gql<ModelPage>(`{ valueModel {
      runId timeUnit customers customersWithOrders observationEnd warnings monthlyRetention
      bgnbd { params { r alpha a b } standardErrors { r alpha a b } logLikelihood repeatCustomers }
      gammaGamma { params { p q v } standardErrors { p q v } frequencySpendCorrelation }
      holdout { calibrationEnd holdoutEnd customers actual predicted rmse
        tracking { period actual predicted } calibration { purchases customers actual predicted }
        calibrationFit { params { r alpha a b } } }
    } }`);
    expect(res.errors).toBeUndefined();
    const model = res.data!.valueModel;
    expect(model).toMatchObject({ timeUnit: "WEEK", customers: 257, customersWithOrders: 256 });
    for (const key of ["r", "alpha", "a", "b"]) {
      expect(model.bgnbd.params[key]!).toBeGreaterThan(0);
      expect(model.bgnbd.standardErrors[key]!).toBeGreaterThan(0);
    }
    expect(model.bgnbd.logLikelihood).toBeLessThan(0);
    expect(model.gammaGamma.params.q!).toBeGreaterThan(1);
    const holdout = model.holdout;
    expect(holdout.tracking).toHaveLength(26);
    expect(holdout.tracking.at(-1)).toMatchObject({ period: 26, actual: holdout.actual });
    expect(holdout.tracking.at(-1)!.predicted).toBeCloseTo(holdout.predicted, 9);
    for (let k = 1; k < 26; k++) {
      expect(holdout.tracking[k]!.actual).toBeGreaterThanOrEqual(holdout.tracking[k - 1]!.actual);
      expect(holdout.tracking[k]!.predicted).toBeGreaterThan(holdout.tracking[k - 1]!.predicted);
    }
    expect(holdout.calibration.at(-1)!.purchases).toBe(7);
    expect(holdout.calibration.reduce((n, p) => n + p.customers, 0)).toBe(holdout.customers);
  });

  it("sorts by CLV and P(alive) with complete keyset paging, customers without a value as NULLs", async () => {
    // A customer who arrived after the run has no value row at all.
    await insertFixture(
      api.db.dataSource,
      [{ externalId: "LATE", firstSeenAt: "2025-02-01T00:00:00Z", acquisitionCostMinor: null }],
      [],
    );
    for (const field of ["CLV", "P_ALIVE"] as const) {
      for (const direction of ["ASC", "DESC"] as const) {
        const { seen, total } = await allCustomers({ field, direction });
        expect(total).toBe(258);
        expect(new Set(seen.map((c) => c.id)).size).toBe(258);
        const keys = seen.map((c) =>
          field === "CLV" ? cents(c.value?.clv ?? null) : (c.value?.pAlive ?? null),
        );
        const twins = seen
          .filter((c) => c.externalId.startsWith("TWIN"))
          .map((c) => c.value!.pAlive);
        expect(new Set(twins).size).toBe(1);
        expect(twins[0]).toBeLessThan(1);
        const nulls = keys.filter((k) => k === null).length;
        expect(nulls).toBe(2); // PROSPECT (no forecast) and LATE (no row)
        const ordered = direction === "ASC" ? keys.slice(nulls) : keys.slice(0, -nulls);
        expect(direction === "ASC" ? keys.slice(0, nulls) : keys.slice(-nulls)).toEqual([
          null,
          null,
        ]);
        for (let i = 1; i < ordered.length; i++) {
          if (direction === "ASC") expect(ordered[i]!).toBeGreaterThanOrEqual(ordered[i - 1]!);
          else expect(ordered[i]!).toBeLessThanOrEqual(ordered[i - 1]!);
        }
      }
    }
  });

  it("pages one customer at a time across the NULLs and into the values", async () => {
    const ids: (string | null)[] = [];
    const keys: (number | null)[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const res: { data?: Page | null } = await gql<Page>(LIST, {
        first: 1,
        after,
        orderBy: { field: "CLV", direction: "ASC" },
      });
      const edge = res.data!.customers.edges[0]!;
      ids.push(edge.node.externalId);
      keys.push(cents(edge.node.value?.clv ?? null));
      after = res.data!.customers.pageInfo.endCursor;
    }
    expect(new Set(ids.slice(0, 2))).toEqual(new Set(["PROSPECT", "LATE"]));
    expect(keys[0]).toBeNull();
    expect(keys[1]).toBeNull();
    const lowest = await api.db.dataSource.query(
      "SELECT MIN(clv_minor) AS m FROM customer_values WHERE run_id = (SELECT MAX(id) FROM scoring_runs WHERE status = 'succeeded')",
    );
    expect(keys[2]).toBe(Number(lowest[0].m));
  });

  it("filters by CLV and P(alive) ranges", async () => {
    const stored = await api.db.dataSource.getRepository(CustomerValueEntity).find();
    const clvs = stored.map((v) => v.clvMinor).filter((v): v is number => v !== null);
    const median = [...clvs].sort((a, b) => a - b)[Math.floor(clvs.length / 2)]!;
    const { seen, total } = await allCustomers(
      { field: "CLV", direction: "DESC" },
      { clvMin: (median / 100).toFixed(2), pAliveMin: 0.5 },
      50,
    );
    const expected = stored.filter(
      (v) => v.clvMinor !== null && v.clvMinor >= median && v.pAlive! >= 0.5,
    );
    expect(total).toBe(expected.length);
    expect(seen.map((c) => Number(c.id)).sort()).toEqual(expected.map((v) => v.customerId).sort());
    const below = await allCustomers(undefined, { clvMax: "0.00", pAliveMax: 0.999 });
    expect(below.total).toBe(
      stored.filter((v) => v.clvMinor !== null && v.clvMinor <= 0 && v.pAlive! <= 0.999).length,
    );
    const bad = await gql(LIST, { first: 5, filter: { clvMin: "12.345" } });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const outOfRange = await gql(LIST, { first: 5, filter: { pAliveMin: 1.5 } });
    expect(outOfRange.errors).toBeDefined();
  });

  it("keeps answering from the previous run while a new run fails, then switches when one succeeds", async () => {
    const before = await gql<Page>(LIST, {
      first: 250,
      orderBy: { field: "CLV", direction: "DESC" },
    });
    const change = await gql<{ updateValueSettings: { userErrors: unknown[] } }>(
      "mutation { updateValueSettings(input: { model: HISTORICAL }) { userErrors { code } } }",
    );
    expect(change.data!.updateValueSettings.userErrors).toEqual([]);
    const service = new ScoringRunService(api.db.dataSource, {
      currency: "USD",
      defaultMarginRate: "0.3",
      chunkSize: 40,
    });
    await expect(
      service.runNow(systemActor("test"), {
        onProgress: (p) => {
          if (p.phase === "scoring" && p.customersScored >= 80) throw new Error("process killed");
        },
      }),
    ).rejects.toThrow("process killed");
    const during = await gql<Page>(LIST, {
      first: 250,
      orderBy: { field: "CLV", direction: "DESC" },
    });
    expect(during.data).toEqual(before.data);

    const started = await gql<{ runScoring: RunFields }>(
      `mutation { runScoring { ${RUN_FIELDS} } }`,
    );
    const run = await waitFor(started.data!.runScoring.id);
    expect(run.status).toBe("SUCCEEDED");
    const after = await gql<Page>(LIST, { first: 250 });
    for (const { node } of after.data!.customers.edges) {
      expect(node.value!.model).toBe("HISTORICAL");
      expect(node.value!.clv).toEqual({ ...node.value!.historicalValue, currency: "USD" });
    }
    const runs = await gql<{ scoringRuns: { totalCount: number; edges: { node: RunFields }[] } }>(
      `{ scoringRuns(first: 10) { totalCount edges { node { ${RUN_FIELDS} } } } }`,
    );
    expect(runs.data!.scoringRuns.edges.map((e) => [e.node.status, e.node.isCurrent])).toEqual([
      ["SUCCEEDED", true],
      ["FAILED", false],
      ["SUCCEEDED", false],
      ["FAILED", false],
    ]);
    expect(runs.data!.scoringRuns.edges[1]!.node.error).toBe("process killed");

    // Each customer's history lists the succeeded runs only, newest first, the newest equal to
    // the current value.
    const succeeded = runs
      .data!.scoringRuns.edges.filter((e) => e.node.status === "SUCCEEDED")
      .map((e) => e.node.id);
    const valuedBefore = new Set(
      before.data!.customers.edges.filter((e) => e.node.value).map((e) => e.node.id),
    );
    const customerId = after.data!.customers.edges.find(
      (e) => e.node.value && valuedBefore.has(e.node.id),
    )!.node.id;
    const history = await gql<{
      customer: {
        value: { runId: string; clv: unknown };
        valueHistory: { runId: string; model: string; clv: unknown }[];
      };
    }>(
      "query($id: ID) { customer(id: $id) { value { runId clv { amount } } valueHistory { runId model clv { amount } } } }",
      {
        id: customerId,
      },
    );
    const h = history.data!.customer;
    expect(h.valueHistory.map((v) => v.runId)).toEqual(succeeded);
    expect(h.valueHistory[0]).toMatchObject({
      runId: h.value.runId,
      model: "HISTORICAL",
      clv: h.value.clv,
    });
    expect(h.valueHistory[1]!.model).not.toBe("HISTORICAL");
  });

  it("validates and audits settings changes", async () => {
    const bad = await gql<{
      updateValueSettings: {
        userErrors: { field: string; code: string }[];
        settings: { model: string };
      };
    }>(
      'mutation { updateValueSettings(input: { monthlyDiscountRate: "1%", cacSource: FIXED }) { settings { model } userErrors { field code } } }',
    );
    expect(bad.data!.updateValueSettings.userErrors).toEqual([
      { field: "input.monthlyDiscountRate", code: "RATE_NOT_DECIMAL" },
      { field: "input.fixedCac", code: "FIXED_CAC_REQUIRED" },
    ]);
    expect(bad.data!.updateValueSettings.settings.model).toBe("HISTORICAL");
    const good = await gql<{
      updateValueSettings: { settings: Record<string, unknown>; userErrors: unknown[] };
    }>(
      'mutation { updateValueSettings(input: { model: BGNBD, cacSource: FIXED, fixedCac: "20.00", horizonMonths: 24, timeUnit: DAY }) { settings { model cacSource fixedCac { amount } horizonMonths timeUnit updatedBy } userErrors { code } } }',
    );
    expect(good.data!.updateValueSettings).toEqual({
      settings: {
        model: "BGNBD",
        cacSource: "FIXED",
        fixedCac: { amount: "20.00" },
        horizonMonths: 24,
        timeUnit: "DAY",
        updatedBy: api.admin.email,
      },
      userErrors: [],
    });
    const audits = await api.db.dataSource
      .getRepository(AuditEntryEntity)
      .find({ where: { entityType: "value_settings" }, order: { id: "ASC" } });
    expect(audits.map((a) => a.action)).toEqual(["value.settings.update", "value.settings.update"]);
    expect(JSON.parse(audits[1]!.afterJson!)).toMatchObject({
      cacSource: "fixed",
      fixedCacMinor: 2000,
    });
    expect(JSON.parse(audits[1]!.beforeJson!)).toMatchObject({ model: "historical" });
    const starts = await api.db.dataSource
      .getRepository(AuditEntryEntity)
      .countBy({ action: "scoring.run.start" });
    expect(starts).toBe(3);
  });

  it("lets readers read but only value managers run scoring or change settings", async () => {
    const made = await gql<{ createUser: { userErrors: unknown[] } }>(
      'mutation { createUser(input: { email: "analyst@example.test", password: "analyst-pass", role: ANALYST }) { userErrors { code } } }',
    );
    expect(made.data!.createUser.userErrors).toEqual([]);
    const login = await gql<{ login: { token: string } }>(
      'mutation { login(email: "analyst@example.test", password: "analyst-pass") { token } }',
      {},
      "",
    );
    const analyst = login.data!.login.token;
    const key = await gql<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(input: { name: "shop", scopes: ["customers:read"] }) { secret } }',
    );
    for (const as of [analyst, key.data!.createApiKey.secret]) {
      const read = await gql<Page>(LIST, { first: 1 }, as);
      expect(read.errors).toBeUndefined();
      expect(read.data!.customers.edges[0]!.node.value).not.toBeNull();
      const run = await gql(`mutation { runScoring { id } }`, {}, as);
      expect(run.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const change = await gql(
        "mutation { updateValueSettings(input: { horizonMonths: 3 }) { userErrors { code } } }",
        {},
        as,
      );
      expect(change.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    const anonymous = await gql("{ valueModel { runId } }", {}, "");
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("marks a run left running by a dead process as failed when the API starts", async () => {
    const runs = api.db.dataSource.getRepository(ScoringRunEntity);
    const now = new Date();
    const dead = await runs.save(
      runs.create({
        status: "running",
        activeLock: 1,
        phase: "scoring",
        progress: 0.7,
        runner: `${hostname()} 999999999`,
        heartbeatAt: now,
        createdAt: now,
        settingsJson: JSON.stringify(defaultValueSettings("0.3")),
        triggeredBy: "killed process",
      }),
    );
    const second = await startServer(api.config, api.db.dataSource, {
      error: () => undefined,
    } as unknown as Console);
    await second.close();
    expect(await runs.findOneByOrFail({ id: dead.id })).toMatchObject({
      status: "failed",
      activeLock: null,
    });
  });
});
