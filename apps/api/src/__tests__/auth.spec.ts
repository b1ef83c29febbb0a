import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CustomerEntity } from "../modules/customers/customer.entity";
import { startTestApi, type TestApi } from "../testing/test-server";

const CUSTOMER =
  "query($x: String!) { customer(externalId: $x) { externalId name totalSpent { amount currency } } }";

describe("access control over HTTP", () => {
  let api: TestApi;
  let adminToken: string;

  beforeAll(async () => {
    api = await startTestApi();
    adminToken = await api.adminToken();
    await api.db.dataSource.getRepository(CustomerEntity).insert({
      externalId: "C-1",
      email: "ada@example.test",
      name: "Ada Lovelace",
      firstSeenAt: new Date("2025-01-02T03:04:05.000Z"),
      totalSpentMinor: 12345,
      orderCount: 2,
    });
  });
  afterAll(async () => api?.close());

  it("refuses an anonymous read of a customer", async () => {
    const res = await api.gql(CUSTOMER, { x: "C-1" });
    expect(res.data?.customer ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(res.errors?.[0]?.message).toMatch(/needs a session token or an API key/);
    expect(res.errors?.[0]?.extensions?.stacktrace).toBeUndefined();
  });

  it("rejects a wrong password as data, not as an exception", async () => {
    const res = await api.gql<{ login: { token: string | null; userErrors: { code: string }[] } }>(
      'mutation { login(email: "admin@example.test", password: "wrong password") { token userErrors { code } } }',
    );
    expect(res.data?.login).toEqual({ token: null, userErrors: [{ code: "INVALID_CREDENTIALS" }] });
  });

  it("lets a storefront read a customer with a customers:read key, and nothing more", async () => {
    const created = await api.gql<{
      createApiKey: {
        apiKey: { id: string; prefix: string; scopes: string[] };
        secret: string;
        userErrors: unknown[];
      };
    }>(
      'mutation { createApiKey(input: { name: "storefront", scopes: ["customers:read"] }) { apiKey { id prefix scopes } secret userErrors { code } } }',
      {},
      adminToken,
    );
    const { apiKey, secret, userErrors } = created.data!.createApiKey;
    expect(userErrors).toEqual([]);
    expect(apiKey.scopes).toEqual(["customers:read"]);
    expect(secret.startsWith(`${apiKey.prefix}_`)).toBe(true);

    const read = await api.gql(CUSTOMER, { x: "C-1" }, secret);
    expect(read.errors).toBeUndefined();
    expect(read.data?.customer).toEqual({
      externalId: "C-1",
      name: "Ada Lovelace",
      totalSpent: { amount: "123.45", currency: "USD" },
    });

    const write = await api.gql(
      'mutation { createApiKey(input: { name: "escalate", scopes: ["orders:write"] }) { secret } }',
      {},
      secret,
    );
    expect(write.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(write.errors?.[0]?.message).toMatch(/api_keys:manage/);

    const upsert = await api.gql(
      'mutation { upsertCustomers(input: [{ externalId: "C-2", createdAt: "2025-01-01T00:00:00Z" }]) { imported } }',
      {},
      secret,
    );
    expect(upsert.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await api.db.dataSource.getRepository(CustomerEntity).count()).toBe(1);

    const revoked = await api.gql(
      `mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { revoked } } }`,
      { id: apiKey.id },
      adminToken,
    );
    expect(revoked.data).toEqual({ revokeApiKey: { apiKey: { revoked: true } } });
    const afterRevoke = await api.gql(CUSTOMER, { x: "C-1" }, secret);
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.errors?.[0]?.message).toMatch(/revoked/);
  });

  it("never accepts a made-up key or a tampered token", async () => {
    const fake = await api.gql(CUSTOMER, { x: "C-1" }, "vt_00000000_" + "A".repeat(43));
    expect(fake.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const tampered = await api.gql(CUSTOMER, { x: "C-1" }, adminToken.slice(0, -2) + "xx");
    expect(tampered.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("keeps an analyst read-only and audits what admins change", async () => {
    const made = await api.gql<{
      createUser: { user: { role: string } | null; userErrors: { code: string }[] };
    }>(
      'mutation { createUser(input: { email: "Ann@Example.test", password: "analyst-pass", role: ANALYST }) { user { role } userErrors { code } } }',
      {},
      adminToken,
    );
    expect(made.data?.createUser).toEqual({ user: { role: "ANALYST" }, userErrors: [] });
    const login = await api.gql<{ login: { token: string } }>(
      'mutation { login(email: "ann@example.test", password: "analyst-pass") { token } }',
    );
    const analyst = login.data!.login.token;
    expect((await api.gql(CUSTOMER, { x: "C-1" }, analyst)).data?.customer).toBeTruthy();
    const denied = await api.gql(
      'mutation { createApiKey(input: { name: "x", scopes: ["customers:read"] }) { secret } }',
      {},
      analyst,
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const audit = await api.gql<{
      auditLog: { edges: { node: { action: string; actorLabel: string; after: string | null } }[] };
    }>("{ auditLog(first: 10) { edges { node { action actorLabel after } } } }", {}, adminToken);
    const actions = audit.data!.auditLog.edges.map((e) => e.node.action);
    expect(actions).toEqual(
      expect.arrayContaining(["user.create", "api_key.create", "api_key.revoke"]),
    );
    const keyEntry = audit.data!.auditLog.edges.find((e) => e.node.action === "api_key.create")!;
    expect(keyEntry.node.actorLabel).toBe("admin@example.test");
    expect(keyEntry.node.after).not.toMatch(/secret|hash/i);
  });

  it("refuses to demote the last admin", async () => {
    const me = await api.gql<{ me: { id: string } }>("{ me { id } }", {}, adminToken);
    const res = await api.gql<{ updateUser: { userErrors: { code: string }[] } }>(
      "mutation($id: ID!) { updateUser(input: { id: $id, role: MARKETER }) { userErrors { code } } }",
      { id: me.data!.me.id },
      adminToken,
    );
    expect(res.data?.updateUser.userErrors).toEqual([{ code: "LAST_ADMIN" }]);
  });

  it("limits query depth and cost", async () => {
    const deep = await api.gql(
      "{ customers(first: 1) { edges { node { orders { edges { node { customer { orders { edges { node { customer { name } } } } } } } } } } } }",
      {},
      adminToken,
    );
    expect(deep.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(deep.errors?.[0]?.message).toMatch(/levels deep; at most 10/);
    const costly = await api.gql(
      "{ customers(first: 250) { edges { node { orders(first: 250) { edges { node { id amount { amount } } } } } } } }",
      {},
      adminToken,
    );
    expect(costly.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(costly.errors?.[0]?.message).toMatch(/would cost/);
    const tooBig = await api.gql("{ customers(first: 251) { totalCount } }", {}, adminToken);
    // A declared bound is a client error like any other: 400, BAD_USER_INPUT, naming the rule.
    expect(tooBig.status).toBe(400);
    expect(tooBig.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(tooBig.errors?.[0]?.message).toBe("first: first must not be greater than 250");
  });
});
