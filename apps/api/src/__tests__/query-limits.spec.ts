import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../testing/test-server";

interface Answer {
  status: number;
  retryAfter: string | null;
  ms: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

/** POSTs over real HTTP and times the answer as the client sees it. */
async function post(
  api: TestApi,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Answer["body"];
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    ms: performance.now() - started,
    body,
  };
}

async function createKey(api: TestApi, adminToken: string, scopes: string[]): Promise<string> {
  const res = await api.gql<{ createApiKey: { secret: string } }>(
    'mutation($s: [String!]!) { createApiKey(input: { name: "limits", scopes: $s }) { secret } }',
    { s: scopes },
    adminToken,
  );
  return res.data!.createApiKey.secret;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** 22 fragments, each spreading the next twice: 2^22 paths in about 800 bytes. */
function fragmentFanOut(tag: string): string {
  let query = `# ${tag}\n{ ...F0 }`;
  for (let i = 0; i < 22; i++) query += ` fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`;
  query += " fragment F22 on Query { customers(first: 1) { edges { node { name } } } }";
  return query;
}

const dashboardAliases = (n: number, tag: string) =>
  `# ${tag}\n{ ${Array.from({ length: n }, (_, i) => `d${i}: dashboard { customers }`).join(" ")} }`;

const PAYLOAD_FAN_OUT = `mutation($input: [OrderInput!]!) {
  recordOrders(input: $input) {
    orders { customer { orders(first: 250) { edges { node { id } } } } }
  }
}`;

const aliasedLogins = (n: number, tag: string) =>
  `# ${tag}\nmutation { ${Array.from(
    { length: n },
    (_, i) => `l${i}: login(email: "a${i}@example.test", password: "wrong-password") { token }`,
  ).join(" ")} }`;

const orders = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({
    externalId: `${prefix}-${i}`,
    customerExternalId: `LC-${i % 10}`,
    placedAt: "2025-03-01T10:00:00Z",
    amount: "10.00",
    currency: "USD",
    status: "COMPLETED",
  }));

describe("query limits over HTTP (defaults)", () => {
  let api: TestApi;
  let adminToken: string;
  let storefrontKey: string;
  let writerKey: string;

  beforeAll(async () => {
    api = await startTestApi();
    adminToken = await api.adminToken();
    storefrontKey = await createKey(api, adminToken, ["customers:read"]);
    writerKey = await createKey(api, adminToken, [
      "customers:read",
      "customers:write",
      "orders:write",
    ]);
    const customers = Array.from({ length: 10 }, (_, i) => ({
      externalId: `LC-${i}`,
      name: `Limit ${i}`,
      createdAt: "2025-01-01T00:00:00Z",
    }));
    const seeded = await api.gql(
      "mutation($input: [CustomerInput!]!) { upsertCustomers(input: $input) { imported } }",
      { input: customers },
      writerKey,
    );
    expect(seeded.errors).toBeUndefined();
    // Warm the server's code paths so the timings below measure the limits, not the JIT.
    for (let i = 0; i < 3; i++) {
      await post(api, "{ customers(first: 5) { edges { node { name } } } }", {}, storefrontKey);
      await post(api, dashboardAliases(50, `warm ${i}`), {}, storefrontKey);
      await post(api, fragmentFanOut(`warm ${i}`), {}, storefrontKey);
      await post(
        api,
        `# warm ${i}\n${PAYLOAD_FAN_OUT}`,
        { input: orders(1000, "WARM") },
        writerKey,
      );
    }
  });
  afterAll(async () => api?.close());

  it("answers a normal storefront query", async () => {
    const res = await post(
      api,
      `{ customer(externalId: "LC-1") { name orderCount totalSpent { amount currency }
           orders(first: 10) { totalCount edges { node { externalId amount { amount } } } } } }`,
      {},
      storefrontKey,
    );
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toMatchObject({ customer: { name: "Limit 1" } });
  });

  it("records 1,000 orders in one call with a modest payload", async () => {
    const res = await post(
      api,
      `mutation($input: [OrderInput!]!) {
         recordOrders(input: $input) { imported unchanged orders { externalId } userErrors { field code message } }
       }`,
      { input: orders(1000, "OK") },
      writerKey,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toMatchObject({ recordOrders: { imported: 1000, unchanged: 0 } });
  });

  it("refuses each hostile query at once, anonymous or not, while /healthz keeps answering", async () => {
    const hostile: { name: string; send: (tag: string) => Promise<Answer>; limit: string }[] = [
      { name: "fragment fan-out", send: (t) => post(api, fragmentFanOut(t)), limit: "cost" },
      {
        name: "fragment fan-out with a key",
        send: (t) => post(api, fragmentFanOut(t), {}, storefrontKey),
        limit: "cost",
      },
      {
        name: "3,300 aliases of dashboard",
        send: (t) => post(api, dashboardAliases(3300, t), {}, storefrontKey),
        limit: "bytes",
      },
      {
        name: "50 aliases of dashboard",
        send: (t) => post(api, dashboardAliases(50, t), {}, storefrontKey),
        limit: "cost",
      },
      {
        name: "recordOrders payload fan-out",
        send: (t) =>
          post(
            api,
            `# ${t}\n${PAYLOAD_FAN_OUT}`,
            { input: orders(1000, `HOSTILE-${t}`) },
            writerKey,
          ),
        limit: "cost",
      },
      // Over the token limit before its 100 aliases are even counted.
      {
        name: "100 aliased logins",
        send: (t) => post(api, aliasedLogins(100, t)),
        limit: "tokens",
      },
    ];

    let polling = true;
    const health: number[] = [];
    const poller = (async () => {
      while (polling) {
        const started = performance.now();
        const res = await fetch(`${api.url}/healthz`);
        await res.text();
        health.push(performance.now() - started);
        await sleep(2);
      }
    })();
    const timings = new Map<string, number[]>(hostile.map((h) => [h.name, []]));
    try {
      for (let round = 0; round < 5; round++) {
        for (const { name, send, limit } of hostile) {
          // A fresh comment each time: Apollo caches validated documents by their text.
          const res = await send(`${name} round ${round}`);
          expect({ name, status: res.status }).toEqual({ name, status: 400 });
          expect(res.body.errors?.[0]?.extensions).toMatchObject({
            code: "QUERY_TOO_COMPLEX",
            limit,
          });
          expect(res.body.data ?? undefined).toBeUndefined();
          timings.get(name)!.push(res.ms);
        }
      }
    } finally {
      polling = false;
      await poller;
    }
    // The server spends 1–3 ms of CPU on each (parse, graphql validation, analysis); on the CI
    // machine the other workspaces' tests and Chromium run at the same time, so an answer can
    // wait for a CPU. Each query is refused in under 150 ms at least once (what it costs the
    // server; under 50 ms on a quiet machine, the figure), and a slow answer is allowed
    // once in five: a query that holds the server (these used to, for seconds) does so every
    // time it is sent, while a loaded machine delays one answer now and then. A fresh-clone CI
    // run saw the 1,000-order payload answered once over 500 ms, in its other rounds fast.
    for (const [name, ms] of timings) {
      expect({ name, fastest: Math.min(...ms) < 150 }).toEqual({ name, fastest: true });
      const slow = ms.filter((m) => m >= 500).length;
      expect({ name, slowRounds: slow <= 1 }).toEqual({ name, slowRounds: true });
    }
    // /healthz shares the event loop with the refusals. Half its answers come in under 100 ms
    // (50 on a quiet machine; a CI run on a machine 2.5 times slower than usual measured a
    // median of 50.4 ms with every other suite running). A held loop would make a slow
    // answer of every round's hostile queries, 30 in all; the loaded machine may make two.
    expect(health.length).toBeGreaterThan(10);
    expect(percentile(health, 0.5)).toBeLessThan(100);
    expect(health.filter((m) => m >= 500).length).toBeLessThanOrEqual(2);
    // The refused recordOrders wrote nothing.
    const [written] = await api.db.dataSource.query(
      "SELECT COUNT(*) AS n FROM orders WHERE external_id LIKE 'HOSTILE-%'",
    );
    expect(Number(written.n)).toBe(0);
  });

  it("allows one login per request, counting aliases and fragment spreads", async () => {
    const login = `login(email: "${api.admin.email}", password: "${api.admin.password}") { token }`;
    const one = await post(api, `mutation { ${login} }`);
    expect(one.body.errors).toBeUndefined();
    for (const query of [
      `mutation { a: ${login} b: ${login} }`,
      `mutation { ...L ...L } fragment L on Mutation { ${login} }`,
    ]) {
      const res = await post(api, query);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({
        code: "QUERY_TOO_COMPLEX",
        limit: "occurrences",
        field: "Mutation.login",
        max: 1,
        actual: 2,
      });
      expect(res.body.errors?.[0]?.message).toMatch(/Mutation.login may be asked once per request/);
    }
  });

  it("refuses deep nesting by depth, through fragments", async () => {
    const res = await post(
      api,
      `{ customers(first: 1) { edges { node { ...C } } } }
       fragment C on Customer { orders(first: 1) { edges { node { customer { orders(first: 1) { edges { node { id } } } } } } } }`,
      {},
      storefrontKey,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ limit: "depth", max: 10, actual: 11 });
  });

  it("refuses a query of more tokens than allowed, and points to variables", async () => {
    const inline = JSON.stringify(orders(200, "INLINE")).replace(/"(\w+)":/g, "$1:");
    const res = await post(
      api,
      `mutation { recordOrders(input: ${inline.replace(/status:"COMPLETED"/g, "status:COMPLETED")}) { imported } }`,
      {},
      writerKey,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ limit: "tokens", max: 1000 });
    expect(res.body.errors?.[0]?.message).toMatch(/variables/);
  });
});

describe("request budgets and the response bound", () => {
  let api: TestApi;
  let adminToken: string;

  beforeAll(async () => {
    api = await startTestApi({
      env: {
        GRAPHQL_KEY_BUDGET: "1000",
        GRAPHQL_KEY_BUDGET_REFILL: "10",
        // adminToken() logs in anonymously: 202 of it (login 100, token 1, userErrors 1 + 100 × 1).
        GRAPHQL_ANONYMOUS_BUDGET: "400",
        GRAPHQL_ANONYMOUS_BUDGET_REFILL: "1",
        GRAPHQL_MAX_RESPONSE_FIELDS: "100",
      },
    });
    adminToken = await api.adminToken();
    const customers = Array.from({ length: 60 }, (_, i) => ({
      externalId: `B-${i}`,
      name: `Budget ${i}`,
      createdAt: "2025-01-01T00:00:00Z",
    }));
    const seeded = await api.gql(
      "mutation($input: [CustomerInput!]!) { upsertCustomers(input: $input) { imported } }",
      { input: customers },
      adminToken,
    );
    expect(seeded.errors).toBeUndefined();
  });
  afterAll(async () => api?.close());

  // customers 1 + totalCount 200: each call costs 201 of the key's 1,000.
  const COUNT = "{ customers(first: 1) { totalCount } }";

  it("answers 429 with Retry-After once a key's budget is spent, and serves it again after the refill", async () => {
    const key = await createKey(api, adminToken, ["customers:read"]);
    const other = await createKey(api, adminToken, ["customers:read"]);
    const answers: Answer[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await post(api, COUNT, {}, key);
      answers.push(res);
      if (res.status !== 200) break;
    }
    expect(answers.slice(0, 4).map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const refused = answers.at(-1)!;
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", cost: 201 });
    expect(refused.body.errors?.[0]?.message).toMatch(/request budget of API key vt_\w+ is spent/);
    const wait = Number(refused.retryAfter);
    expect(Number.isInteger(wait) && wait >= 1 && wait <= 21).toBe(true);

    // Another key, and a signed-in user, have budgets of their own (users none at all).
    expect((await post(api, COUNT, {}, other)).status).toBe(200);
    for (let i = 0; i < 6; i++) expect((await post(api, COUNT, {}, adminToken)).status).toBe(200);

    await sleep(wait * 1000 + 100);
    const again = await post(api, COUNT, {}, key);
    expect(again.status).toBe(200);
    expect(again.body.errors).toBeUndefined();
  });

  it("gives anonymous callers a budget per address", async () => {
    // 45 units a call; about 198 are left after the admin's login, refilling at 1 a second.
    const query = `{ ${Array.from({ length: 45 }, (_, i) => `t${i}: __typename`).join(" ")} }`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(api, query)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it("refuses a query costing more than a whole budget with 400, not an endless 429", async () => {
    const key = await createKey(api, adminToken, ["customers:read"]);
    const res = await post(
      api,
      "{ customers(first: 5) { totalCount edges { node { name } } } }",
      {},
      key,
    );
    expect(res.status).toBe(200);
    // 1 + 200 + 250 × (edges, node, name, email): 1,201, more than the 1,000 a key holds.
    const big = await post(
      api,
      "{ customers(first: 250) { totalCount edges { node { name email } } } }",
      {},
      key,
    );
    expect(big.status).toBe(400);
    expect(big.body.errors?.[0]?.extensions).toMatchObject({ limit: "budget", max: 1000 });
  });

  it("stops a response at the field bound with one RESPONSE_TOO_LARGE error", async () => {
    // Cost 1 + 60 × 3 = 181 is allowed; the answer would hold 1 + 1 + 60 × 2 = 122 fields.
    const res = await post(
      api,
      "{ customers(first: 60) { edges { node { name } } } }",
      {},
      adminToken,
    );
    expect(res.status).toBe(400);
    expect(res.body.data ?? undefined).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: "RESPONSE_TOO_LARGE",
      max: 100,
    });
    const small = await post(
      api,
      "{ customers(first: 40) { edges { node { name } } } }",
      {},
      adminToken,
    );
    expect(small.status).toBe(200);
    expect((small.body.data as { customers: { edges: unknown[] } }).customers.edges).toHaveLength(
      40,
    );
  });
});
