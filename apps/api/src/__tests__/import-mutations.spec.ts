import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../testing/test-server";

const UPSERT = `mutation($input: [CustomerInput!]!) {
  upsertCustomers(input: $input) { imported unchanged customers { externalId email tags } userErrors { field code message } }
}`;
const RECORD = `mutation($input: [OrderInput!]!) {
  recordOrders(input: $input) { imported unchanged orders { externalId amount { amount currency } margin { amount } status } userErrors { field code message } }
}`;

interface UpsertResult {
  upsertCustomers: {
    imported: number;
    unchanged: number;
    customers: { externalId: string; email: string | null; tags: string[] }[];
    userErrors: { field: string | null; code: string; message: string }[];
  };
}
interface RecordResult {
  recordOrders: {
    imported: number;
    unchanged: number;
    orders: {
      externalId: string;
      amount: { amount: string; currency: string };
      margin: { amount: string } | null;
      status: string;
    }[];
    userErrors: { field: string | null; code: string; message: string }[];
  };
}

describe("upsertCustomers and recordOrders", () => {
  let api: TestApi;
  let token: string;
  let writerKey: string;

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.adminToken();
    const key = await api.gql<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(input: { name: "integration", scopes: ["customers:write", "orders:write", "customers:read"] }) { secret } }',
      {},
      token,
    );
    writerKey = key.data!.createApiKey.secret;
  });
  afterAll(async () => api?.close());

  const customers = [
    {
      externalId: "M-1",
      email: "Mia@Example.test",
      name: "Mia",
      createdAt: "2025-02-01T09:00:00Z",
      acquisitionChannel: "email",
      acquisitionCost: "12.50",
      tags: ["vip", "newsletter"],
      nps: 9,
    },
    { externalId: "M-2", email: "not-an-email", name: "Broken", createdAt: "2025-02-01T09:00:00Z" },
    { externalId: "M-3", name: "Noah", createdAt: "2025-02-02T09:00:00Z", nps: 11 },
    { externalId: "M-4", name: "Olive", createdAt: "2025-02-03T09:00:00Z" },
  ];

  it("keeps the good customers, reports each bad one by index and field, and is idempotent", async () => {
    const first = await api.gql<UpsertResult>(UPSERT, { input: customers }, writerKey);
    expect(first.errors).toBeUndefined();
    const r = first.data!.upsertCustomers;
    expect(r.imported).toBe(2);
    expect(r.unchanged).toBe(0);
    expect(r.customers.map((c) => c.externalId)).toEqual(["M-1", "M-4"]);
    expect(r.customers[0]).toMatchObject({
      email: "mia@example.test",
      tags: ["vip", "newsletter"],
    });
    expect(r.userErrors.map((e) => e.field)).toEqual(["input.1.email", "input.2.nps"]);

    const again = await api.gql<UpsertResult>(
      UPSERT,
      { input: [customers[0], customers[3]] },
      writerKey,
    );
    expect(again.data!.upsertCustomers).toMatchObject({
      imported: 0,
      unchanged: 2,
      userErrors: [],
    });

    const changed = await api.gql<UpsertResult>(
      UPSERT,
      { input: [{ ...customers[3], name: "Olive Oyl" }] },
      writerKey,
    );
    expect(changed.data!.upsertCustomers).toMatchObject({ imported: 1, unchanged: 0 });
  });

  it("records orders, keeps customer totals right and rejects unknown customers", async () => {
    const orders = [
      {
        externalId: "MO-1",
        customerExternalId: "M-1",
        placedAt: "2025-03-01T10:00:00Z",
        amount: "19.99",
        margin: "6.00",
        currency: "USD",
        status: "COMPLETED",
      },
      {
        externalId: "MO-2",
        customerExternalId: "M-1",
        placedAt: "2025-03-05T10:00:00Z",
        amount: "5.01",
        currency: "USD",
        status: "COMPLETED",
      },
      {
        externalId: "MO-3",
        customerExternalId: "M-1",
        placedAt: "2025-03-06T10:00:00Z",
        amount: "100.00",
        currency: "USD",
        status: "REFUNDED",
      },
      {
        externalId: "MO-4",
        customerExternalId: "NOBODY",
        placedAt: "2025-03-06T10:00:00Z",
        amount: "1.00",
        currency: "USD",
        status: "COMPLETED",
      },
      {
        externalId: "MO-5",
        customerExternalId: "M-4",
        placedAt: "2025-03-06T10:00:00Z",
        amount: "-3.00",
        currency: "USD",
        status: "COMPLETED",
      },
    ];
    const res = await api.gql<RecordResult>(RECORD, { input: orders }, writerKey);
    expect(res.errors).toBeUndefined();
    const r = res.data!.recordOrders;
    expect(r.imported).toBe(3);
    expect(r.orders.map((o) => o.externalId)).toEqual(["MO-1", "MO-2", "MO-3"]);
    expect(r.orders[0]).toEqual({
      externalId: "MO-1",
      amount: { amount: "19.99", currency: "USD" },
      margin: { amount: "6.00" },
      status: "COMPLETED",
    });
    expect(r.orders[1]!.margin).toBeNull();
    expect(r.userErrors.map((e) => [e.field, e.code])).toEqual([
      ["input.3.customerExternalId", expect.any(String)],
      ["input.4.amount", expect.any(String)],
    ]);

    const c = await api.gql<{
      customer: { orderCount: number; totalSpent: { amount: string }; lastOrderAt: string };
    }>(
      '{ customer(externalId: "M-1") { orderCount totalSpent { amount } lastOrderAt } }',
      {},
      writerKey,
    );
    // the refunded order counts for neither the order count nor the total
    expect(c.data!.customer).toEqual({
      orderCount: 2,
      totalSpent: { amount: "25.00" },
      lastOrderAt: "2025-03-05T10:00:00.000Z",
    });

    const again = await api.gql<RecordResult>(RECORD, { input: orders.slice(0, 3) }, writerKey);
    expect(again.data!.recordOrders).toMatchObject({ imported: 0, unchanged: 3, userErrors: [] });
  });

  it("takes at most 1,000 items a call", async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({
      externalId: `X-${i}`,
      createdAt: "2025-01-01T00:00:00Z",
    }));
    const res = await api.gql<UpsertResult>(UPSERT, { input: many }, writerKey);
    expect(res.data?.upsertCustomers.imported ?? 0).toBe(0);
    expect(res.data?.upsertCustomers.userErrors[0]).toMatchObject({
      field: "input",
      code: "TOO_MANY_ITEMS",
    });
  });

  it("writes one audit entry per call, naming the key", async () => {
    const audit = await api.gql<{
      auditLog: { edges: { node: { action: string; actorLabel: string } }[] };
    }>("{ auditLog(first: 50) { edges { node { action actorLabel } } } }", {}, token);
    const entries = audit
      .data!.auditLog.edges.map((e) => e.node)
      .filter((n) => n.action === "customers.upsert" || n.action === "orders.record");
    // 3 upsert calls that wrote or checked rows, 2 recordOrders calls; the refused call of 1,001 items wrote nothing
    expect(entries.map((n) => n.action).sort()).toEqual([
      "customers.upsert",
      "customers.upsert",
      "customers.upsert",
      "orders.record",
      "orders.record",
    ]);
    expect(entries.every((n) => n.actorLabel.includes("integration"))).toBe(true);
  });
});
