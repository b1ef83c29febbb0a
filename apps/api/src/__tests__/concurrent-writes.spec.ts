import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type GraphQLResponse, type TestApi } from "../testing/test-server";

// 50 callers at once, each with its own API key so that the audit log says which call wrote
// what, against real MySQL over HTTP. Every call must either succeed with exactly what it
// committed or fail with a clear error; the stored rows must be what the successful calls
// wrote (the last writer of each row winning), the aggregates a recompute from the orders, and
// the audit log one entry per successful call with its counts.

const CALLS = 50;
const ROUNDS = 3;

const UPSERT = `mutation($input: [CustomerInput!]!) {
  upsertCustomers(input: $input) {
    imported created updated unchanged
    results { index externalId status id }
    userErrors { field code message }
  }
}`;
const RECORD = `mutation($input: [OrderInput!]!) {
  recordOrders(input: $input) {
    imported created updated unchanged
    results { index externalId status id }
    userErrors { field code message }
  }
}`;

interface Outcome {
  index: number;
  externalId: string;
  status: "CREATED" | "UPDATED" | "UNCHANGED" | "REJECTED";
  id: string | null;
}
interface WritePayload {
  imported: number;
  created: number;
  updated: number;
  unchanged: number;
  results: Outcome[];
  userErrors: { field: string | null; code: string; message: string }[];
}

/** A seeded generator, so a failing round can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function pick<T>(items: readonly T[], count: number, rnd: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) {
    out.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0]!);
  }
  return out;
}

describe("concurrent writes on MySQL", () => {
  let api: TestApi;
  let admin: string;
  const keys: { id: number; secret: string }[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.adminToken();
    for (let i = 0; i < CALLS; i++) {
      const res = await api.gql<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
        `mutation($name: String!) { createApiKey(input: { name: $name, scopes: ["customers:write", "orders:write"] }) { apiKey { id } secret } }`,
        { name: `writer ${i}` },
        admin,
      );
      keys.push({
        id: Number(res.data!.createApiKey.apiKey.id),
        secret: res.data!.createApiKey.secret,
      });
    }
  });

  afterAll(async () => {
    await api?.close();
  });

  /** Sends one call per key at once; returns each call's answer. */
  async function all(
    query: string,
    inputs: unknown[][],
  ): Promise<GraphQLResponse<Record<string, WritePayload>>[]> {
    return Promise.all(
      inputs.map((input, call) =>
        api.gql<Record<string, WritePayload>>(query, { input }, keys[call]!.secret),
      ),
    );
  }

  /** A successful call answers its payload; a failed one a clear, coded error and no data. */
  function successes(
    answers: GraphQLResponse<Record<string, WritePayload>>[],
    field: string,
  ): Map<number, WritePayload> {
    const ok = new Map<number, WritePayload>();
    answers.forEach((answer, call) => {
      const payload = answer.data?.[field];
      if (payload) {
        expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
        ok.set(call, payload);
      } else {
        // The only acceptable failure: the database stayed busy, and nothing was written.
        expect(
          answer.errors?.map((e) => e.extensions?.code),
          JSON.stringify(answer.errors?.[0]),
        ).toEqual(["BUSY"]);
      }
    });
    return ok;
  }

  /** Audit entries of `action` by call (API key), with their id (commit order per row). */
  async function auditByCall(action: string, since: number) {
    const rows: { id: number; actor_id: number; after_json: string }[] =
      await api.db.dataSource.query(
        "SELECT id, actor_id, after_json FROM audit_log WHERE action = ? AND id > ? ORDER BY id",
        [action, since],
      );
    const byKey = new Map(keys.map((k, call) => [k.id, call]));
    const out = new Map<number, { auditId: number; counts: Record<string, number> }>();
    for (const row of rows) {
      const call = byKey.get(Number(row.actor_id));
      expect(call, `audit entry ${row.id} by an unknown actor`).toBeDefined();
      expect(out.has(call!), `two audit entries for call ${call}`).toBe(false);
      out.set(call!, { auditId: Number(row.id), counts: JSON.parse(row.after_json) });
    }
    return out;
  }

  const latestAuditId = async () =>
    Number(
      (
        (await api.db.dataSource.query("SELECT MAX(id) AS id FROM audit_log")) as { id: number }[]
      )[0]?.id ?? 0,
    );

  /** Every call's audit entry, with exactly the counts it answered. */
  function expectAuditMatches(
    ok: Map<number, WritePayload>,
    audit: Map<number, { auditId: number; counts: Record<string, number> }>,
  ) {
    expect([...audit.keys()].sort((a, b) => a - b)).toEqual([...ok.keys()].sort((a, b) => a - b));
    for (const [call, payload] of ok) {
      expect(audit.get(call)!.counts).toMatchObject({
        imported: payload.imported,
        created: payload.created,
        updated: payload.updated,
        unchanged: payload.unchanged,
      });
    }
  }

  /** The successful calls that wrote (or confirmed) each external id, last committed first. */
  function writersById(
    ok: Map<number, WritePayload>,
    audit: Map<number, { auditId: number }>,
  ): Map<string, { call: number; outcome: Outcome }[]> {
    const writers = new Map<string, { call: number; outcome: Outcome }[]>();
    for (const [call, payload] of ok) {
      for (const outcome of payload.results) {
        if (outcome.status === "REJECTED") continue;
        const list = writers.get(outcome.externalId) ?? [];
        list.push({ call, outcome });
        writers.set(outcome.externalId, list);
      }
    }
    for (const list of writers.values()) {
      list.sort((a, b) => audit.get(b.call)!.auditId - audit.get(a.call)!.auditId);
    }
    return writers;
  }

  async function expectAggregatesEqualRecompute() {
    const drift: unknown[] = await api.db.dataSource.query(
      `SELECT c.external_id, c.order_count, c.total_spent_minor, t.n, t.spent
         FROM customers c
         LEFT JOIN (SELECT customer_id, COUNT(*) AS n, SUM(amount_minor) AS spent,
                           MIN(placed_at) AS first_at, MAX(placed_at) AS last_at
                      FROM orders WHERE status = 'completed' GROUP BY customer_id) t
           ON t.customer_id = c.id
        WHERE c.order_count <> COALESCE(t.n, 0)
           OR c.total_spent_minor <> COALESCE(t.spent, 0)
           OR NOT (c.first_order_at <=> t.first_at)
           OR NOT (c.last_order_at <=> t.last_at)`,
    );
    expect(drift).toEqual([]);
  }

  it("records 50 parallel recordOrders of their own orders for the same 20 customers, losing none", async () => {
    const customers = Array.from({ length: 20 }, (_, j) => ({
      externalId: `S${j}`,
      createdAt: "2020-01-01T00:00:00Z",
    }));
    const seeded = await api.gql<{ upsertCustomers: WritePayload }>(
      UPSERT,
      { input: customers },
      admin,
    );
    expect(seeded.data!.upsertCustomers.userErrors).toEqual([]);

    for (let round = 0; round < ROUNDS; round++) {
      const since = await latestAuditId();
      const inputs = Array.from({ length: CALLS }, (_, call) =>
        customers.map((customer, j) => ({
          externalId: `R${round}-C${call}-O${j}`,
          customerExternalId: customer.externalId,
          placedAt: new Date(Date.UTC(2024, 0, 1 + j, call)).toISOString(),
          amount: `${call + 1}.${String(j).padStart(2, "0")}`,
          currency: "USD",
          status: "COMPLETED",
        })),
      );
      const answers = await all(RECORD, inputs);
      const ok = successes(answers, "recordOrders");
      for (const payload of ok.values()) {
        expect(payload).toMatchObject({ imported: 20, created: 20, updated: 0, userErrors: [] });
      }
      // Nothing is lost: every order a call reported is stored, and no other.
      const [{ n }] = await api.db.dataSource.query(
        "SELECT COUNT(*) AS n FROM orders WHERE external_id LIKE ?",
        [`R${round}-%`],
      );
      expect(Number(n)).toBe(ok.size * 20);
      for (const [call, payload] of ok) {
        const ids = payload.results.map((r) => Number(r.id));
        const stored: { external_id: string; amount_minor: number }[] =
          await api.db.dataSource.query(
            `SELECT external_id, amount_minor FROM orders WHERE id IN (${ids.join(",")}) ORDER BY external_id`,
          );
        expect(stored.map((s) => s.external_id)).toEqual(
          inputs[call]!.map((o) => o.externalId).sort(),
        );
      }
      expectAuditMatches(ok, await auditByCall("orders.record", since));
      await expectAggregatesEqualRecompute();
      // Under this load the calls serialise on their customers instead of failing.
      expect(ok.size).toBeGreaterThanOrEqual(CALLS - 2);
    }
  });

  it("serialises 50 parallel recordOrders with overlapping customers and repeated order ids", async () => {
    const customers = Array.from({ length: 30 }, (_, j) => `V${j}`);
    await api.gql(
      UPSERT,
      { input: customers.map((externalId) => ({ externalId, createdAt: "2020-01-01T00:00:00Z" })) },
      admin,
    );
    for (let round = 0; round < ROUNDS; round++) {
      const rnd = random(1000 + round);
      const pool = Array.from({ length: 60 }, (_, k) => `P${round}-${k}`);
      const since = await latestAuditId();
      const inputs = Array.from({ length: CALLS }, (_, call) => {
        const items = pick(pool, 20, rnd).map((externalId) => ({
          externalId,
          customerExternalId: customers[Math.floor(rnd() * customers.length)]!,
          placedAt: new Date(Date.UTC(2024, 1, 1 + Math.floor(rnd() * 28))).toISOString(),
          amount: `${1 + Math.floor(rnd() * 500)}.${Math.floor(rnd() * 90) + 10}`,
          currency: "USD",
          status: rnd() < 0.15 ? "REFUNDED" : "COMPLETED",
        }));
        // Some calls name one order twice: the second is rejected as a duplicate.
        if (call % 7 === 0) items.push({ ...items[0]!, amount: "9.99" });
        return items;
      });
      const answers = await all(RECORD, inputs);
      const ok = successes(answers, "recordOrders");
      const audit = await auditByCall("orders.record", since);
      expectAuditMatches(ok, audit);

      for (const [call, payload] of ok) {
        const input = inputs[call]!;
        expect(payload.results).toHaveLength(input.length);
        const duplicates = payload.userErrors.filter((e) => e.code === "DUPLICATE");
        expect(duplicates).toHaveLength(call % 7 === 0 ? 1 : 0);
      }
      // Each stored order was created by exactly one successful call, and holds what its last
      // committed writer sent.
      const writers = writersById(ok, audit);
      const stored: {
        external_id: string;
        customer: string;
        amount_minor: number;
        status: string;
      }[] = await api.db.dataSource.query(
        "SELECT o.external_id, c.external_id AS customer, o.amount_minor, o.status FROM orders o " +
          "JOIN customers c ON c.id = o.customer_id WHERE o.external_id LIKE ?",
        [`P${round}-%`],
      );
      expect(stored.map((s) => s.external_id).sort()).toEqual([...writers.keys()].sort());
      for (const row of stored) {
        const list = writers.get(row.external_id)!;
        expect(list.filter((w) => w.outcome.status === "CREATED")).toHaveLength(1);
        const last = list[0]!;
        const sent = inputs[last.call]![last.outcome.index]!;
        expect({
          customer: row.customer,
          amount: Number(row.amount_minor),
          status: row.status,
        }).toEqual({
          customer: sent.customerExternalId,
          amount: Math.round(Number(sent.amount) * 100),
          status: sent.status.toLowerCase(),
        });
      }
      await expectAggregatesEqualRecompute();
      expect(ok.size).toBeGreaterThanOrEqual(CALLS - 5);
    }
  });

  it("serialises 50 parallel upsertCustomers with overlapping and repeated external ids", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const rnd = random(2000 + round);
      const pool = Array.from({ length: 40 }, (_, k) => `U${round}-${k}`);
      const since = await latestAuditId();
      const inputs = Array.from({ length: CALLS }, (_, call) => {
        const items: Record<string, unknown>[] = pick(pool, 20, rnd).map((externalId) => ({
          externalId,
          name: `${externalId} by ${call}`,
          email: `${externalId.toLowerCase()}.${call}@example.test`,
          createdAt: "2021-06-01T00:00:00Z",
          nps: Math.floor(rnd() * 11),
        }));
        if (call % 5 === 0) items.push({ ...items[0]!, name: "twice" });
        return items;
      });
      const answers = await all(UPSERT, inputs);
      const ok = successes(answers, "upsertCustomers");
      const audit = await auditByCall("customers.upsert", since);
      expectAuditMatches(ok, audit);

      const writers = writersById(ok, audit);
      const stored: {
        id: number;
        external_id: string;
        name: string;
        email: string;
        nps: number;
      }[] = await api.db.dataSource.query(
        "SELECT id, external_id, name, email, nps FROM customers WHERE external_id LIKE ?",
        [`U${round}-%`],
      );
      expect(stored.map((s) => s.external_id).sort()).toEqual([...writers.keys()].sort());
      for (const row of stored) {
        const list = writers.get(row.external_id)!;
        expect(list.filter((w) => w.outcome.status === "CREATED")).toHaveLength(1);
        for (const w of list) expect(Number(w.outcome.id)).toBe(Number(row.id));
        const sent = inputs[list[0]!.call]![list[0]!.outcome.index]!;
        expect({ name: row.name, email: row.email, nps: Number(row.nps) }).toEqual({
          name: sent.name,
          email: sent.email,
          nps: sent.nps,
        });
      }
      expect(ok.size).toBeGreaterThanOrEqual(CALLS - 5);
    }
  });
});
