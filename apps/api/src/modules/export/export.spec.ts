import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServices } from "../../composition";
import { startTestApi, type TestApi } from "../../testing/test-server";
import { audienceCsv, EXPORT_COLUMNS } from "./audience-export";

// The audience export over HTTP against MySQL: who may export, how a hostile cell comes out,
// a bad query's positioned error, and 2,500 customers streamed a page at a time.

const HEADER = EXPORT_COLUMNS.join(",");

describe("GET /export/customers.csv", () => {
  let api: TestApi;
  let admin: string;

  const download = (query: string, token?: string) =>
    fetch(`${api.url}/export/customers.csv${query}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.adminToken();
    const ds = api.db.dataSource;
    await ds.query(
      "INSERT INTO customers (external_id, email, name, first_seen_at, total_spent_minor, order_count) VALUES " +
        "('H1', 'h1@example.test', '=HYPERLINK(\"http://evil.test\",\"click\")', '2024-01-01 00:00:00.000', 12345, 2), " +
        "('H2', '@h2@example.test', 'Smith, \"Jo\"', '2024-01-02 00:00:00.000', 0, 0)",
    );
    const [h1] = (await ds.query("SELECT id FROM customers WHERE external_id = 'H1'")) as {
      id: number;
    }[];
    await ds.query(
      "INSERT INTO scoring_runs (status, progress, phase, heartbeat_at, created_at, finished_at, settings_json, triggered_by) " +
        "VALUES ('succeeded', 1, 'done', '2025-01-01 00:00:00.000', '2025-01-01 00:00:00.000', '2025-01-01 00:00:00.000', '{}', 'test')",
    );
    const [run] = (await ds.query("SELECT MAX(id) AS id FROM scoring_runs")) as { id: number }[];
    await ds.query(
      "INSERT INTO customer_values (run_id, customer_id, clv_minor, historical_value_minor, margin_minor, orders, frequency, p_alive, tier_key, rfm_group, lifecycle_stage, churn_risk) " +
        "VALUES (?, ?, 98765, 0, 0, 2, 1, 0.75, 'high', 'CHAMPIONS', 'mature', 'low')",
      [run!.id, h1!.id],
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  it("writes every column, neutralising cells a spreadsheet would run as formulas", async () => {
    const res = await download("?tierKeys=high", admin);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain("customers.csv");
    expect(await res.text()).toBe(
      `${HEADER}\r\n` +
        `H1,h1@example.test,"'=HYPERLINK(""http://evil.test"",""click"")",2024-01-01T00:00:00.000Z,high,987.65,0.75,CHAMPIONS,mature,low,123.45,2,\r\n`,
    );
    const query = encodeURIComponent("external_id = 'H2'");
    const h2 = await (await download(`?query=${query}`, admin)).text();
    expect(h2.split("\r\n")[1]).toBe(
      `H2,'@h2@example.test,"Smith, ""Jo""",2024-01-02T00:00:00.000Z,,,,,,,0.00,0,`,
    );
  });

  it("serves the distributions over GraphQL to signed-in users", async () => {
    const res = await api.gql<{
      valueDistribution: {
        tiers: { key: string; customers: number; clv: string }[];
        atRiskValue: string;
      };
      tierMovements: { toRunId: string | null; tiers: unknown[] };
    }>(
      "{ valueDistribution { tiers { key customers clv } atRiskValue } tierMovements { toRunId tiers { from to customers } } }",
      {},
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.valueDistribution.tiers[0]).toEqual({
      key: "high",
      customers: 1,
      clv: "987.65",
    });
    expect(res.data!.valueDistribution.atRiskValue).toBe("0.00");
    // One run only: nothing to compare it with yet.
    expect(res.data!.tierMovements.tiers).toEqual([]);
  });

  it("logs each export with its audience and row count", async () => {
    await (await download("?tierKeys=high,mid_high", admin)).text();
    const log = await api.gql<{
      auditLog: { edges: { node: { action: string; after: string; actorLabel: string } }[] };
    }>("{ auditLog(first: 1) { edges { node { action after actorLabel } } } }", {}, admin);
    const entry = log.data!.auditLog.edges[0]!.node;
    expect(entry.action).toBe("audience.export");
    expect(entry.actorLabel).toBe(api.admin.email);
    expect(JSON.parse(entry.after)).toEqual({
      audience: { tierKeys: ["high", "mid_high"] },
      rows: 1,
    });
  });

  it("answers a query it cannot read with a 400 saying where", async () => {
    const res = await download(`?query=${encodeURIComponent("tier = 'high' AND")}`, admin);
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      errors: { message: string; extensions: { code: string; position: { offset: number } } }[];
    };
    expect(body.errors[0]!.extensions.code).toBe("INVALID_QUERY");
    expect(body.errors[0]!.message).toMatch(/^query: /);
    expect(body.errors[0]!.extensions.position.offset).toBe(17);
    const segment = await download("?segmentId=999", admin);
    expect(segment.status).toBe(400);
    expect(await segment.text()).toContain("segment 999 does not exist");
    const notAnId = await download("?segmentId=abc", admin);
    expect(notAnId.status).toBe(400);
    expect(await notAnId.text()).toContain("segmentId");
  });

  it("takes the customer list's filters too, and names a bad one", async () => {
    const search = await (await download("?search=h1%40example", admin)).text();
    expect(
      search
        .split("\r\n")
        .filter(Boolean)
        .map((l) => l.split(",")[0]),
    ).toEqual(["external_id", "H1"]);
    const clv = await (await download("?clvMin=900&pAliveMin=0.7", admin)).text();
    expect(clv.split("\r\n").filter(Boolean)).toHaveLength(2);
    const none = await (await download("?clvMin=987.66", admin)).text();
    expect(none.split("\r\n").filter(Boolean)).toHaveLength(1);
    const share = await download("?pAliveMin=1.5", admin);
    expect(share.status).toBe(400);
    expect(await share.text()).toContain("pAliveMin");
    const date = await download("?createdFrom=yesterday", admin);
    expect(date.status).toBe(400);
    expect(await date.text()).toContain("createdFrom");
    const amount = await download("?clvMax=12.345", admin);
    expect(amount.status).toBe(400);
    expect(await amount.text()).toContain("clvMax");
  });

  it("refuses anonymous callers, bad tokens and storefront API keys", async () => {
    expect((await download("")).status).toBe(401);
    expect((await download("", "not-a-token")).status).toBe(401);
    const key = await api.gql<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(input: { name: "storefront", scopes: ["customers:read", "customers:write"] }) { secret userErrors { code } } }',
      {},
      admin,
    );
    const res = await download("", key.data!.createApiKey.secret);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("business:read");
  });

  it("streams 2,500 customers in id order, one page at a time", async () => {
    const ds = api.db.dataSource;
    for (let batch = 0; batch < 5; batch++) {
      const rows = Array.from({ length: 500 }, (_, i) => {
        const n = String(batch * 500 + i).padStart(4, "0");
        return `('B${n}', 'Bulk ${n}', '2024-02-01 00:00:00.000')`;
      });
      await ds.query(
        `INSERT INTO customers (external_id, name, first_seen_at) VALUES ${rows.join(",")}`,
      );
    }
    const query = `?query=${encodeURIComponent("external_id CONTAINS 'B'")}`;
    const text = await (await download(query, admin)).text();
    const lines = text.split("\r\n").filter((line) => line !== "");
    expect(lines).toHaveLength(2501);
    expect(lines[1]!.startsWith("B0000,")).toBe(true);
    expect(lines[2500]!.startsWith("B2499,")).toBe(true);

    // The same export read chunk by chunk: never more than one page of rows at a time.
    const services = createServices(ds, api.config);
    const pages: number[] = [];
    const audience = {
      condition: { type: "contains" as const, field: "external_id" as const, value: "B" },
    };
    for await (const chunk of audienceCsv(services, audience, "USD", 500)) pages.push(chunk.rows);
    expect(pages).toEqual([0, 500, 500, 500, 500, 500]);
  });
});
