import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../testing/test-server";

// Who is who: external ids are exact, numeric ids are parsed strictly, a partial upsert keeps
// what it leaves out, and an order cannot predate its customer. Against MySQL over HTTP.

const UPSERT = `mutation($input: [CustomerInput!]!) {
  upsertCustomers(input: $input) {
    results { externalId status id }
    customers { externalId email name tags nps acquisitionChannel acquisitionCost { amount } createdAt }
    userErrors { field code message }
  }
}`;
const RECORD = `mutation($input: [OrderInput!]!) {
  recordOrders(input: $input) { results { externalId status } userErrors { field code message } }
}`;

interface Upserted {
  upsertCustomers: {
    results: { externalId: string; status: string; id: string | null }[];
    customers: Record<string, unknown>[];
    userErrors: { field: string; code: string; message: string }[];
  };
}

describe("identity of customers and orders", () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.adminToken();
  });

  afterAll(async () => {
    await api?.close();
  });

  const upsert = async (input: Record<string, unknown>[]) =>
    (await api.gql<Upserted>(UPSERT, { input }, token)).data!.upsertCustomers;

  it("treats external ids that differ only in case as two customers", async () => {
    const first = await upsert([
      { externalId: "C0000001", name: "Upper", createdAt: "2024-01-01T00:00:00Z" },
    ]);
    const second = await upsert([
      { externalId: "c0000001", name: "Lower", createdAt: "2024-01-01T00:00:00Z" },
    ]);
    expect(first.results[0]!.status).toBe("CREATED");
    expect(second.results[0]!.status).toBe("CREATED");
    expect(second.results[0]!.id).not.toBe(first.results[0]!.id);
    const upper = await api.gql<{ customer: { name: string } }>(
      '{ customer(externalId: "C0000001") { name } }',
      {},
      token,
    );
    expect(upper.data!.customer.name).toBe("Upper");
  });

  it("refuses ids with white space at either end, and never matches them to a trimmed id", async () => {
    const result = await upsert([
      { externalId: "C0000001 ", name: "Spaced", createdAt: "2024-01-01T00:00:00Z" },
    ]);
    expect(result.results[0]!.status).toBe("REJECTED");
    expect(result.userErrors[0]).toMatchObject({
      field: "input.0.externalId",
      code: "INVALID_FORMAT",
    });
    const spaced = await api.gql<{ customer: unknown }>(
      '{ customer(externalId: "C0000001 ") { name } }',
      {},
      token,
    );
    expect(spaced.data!.customer).toBeNull();
  });

  it("parses numeric ids strictly", async () => {
    const rows = (await api.db.dataSource.query(
      "SELECT id FROM customers WHERE external_id = 'C0000001'",
    )) as { id: number }[];
    const id = rows[0]!.id;
    const ok = await api.gql<{ customer: { externalId: string } }>(
      "query($id: ID!) { customer(id: $id) { externalId } }",
      { id: String(id) },
      token,
    );
    expect(ok.data!.customer.externalId).toBe("C0000001");
    for (const bad of [`0x${id.toString(16)}`, `${id}e0`, ` ${id}`, `${id}.0`, `+${id}`, "0"]) {
      const res = await api.gql(
        "query($id: ID!) { customer(id: $id) { externalId } }",
        { id: bad },
        token,
      );
      expect(res.errors?.[0]?.extensions?.code, bad).toBe("BAD_USER_INPUT");
      expect(res.errors?.[0]?.message, bad).toContain("is not an id");
    }
  });

  it("keeps the fields an upsert leaves out, and clears those sent as null", async () => {
    await upsert([
      {
        externalId: "P1",
        email: "p1@example.test",
        name: "Pia",
        createdAt: "2023-05-01T00:00:00Z",
        acquisitionChannel: "email",
        acquisitionCost: "12.50",
        tags: ["vip"],
        nps: 9,
      },
    ]);
    const renamed = await upsert([{ externalId: "P1", name: "Pia Lund" }]);
    expect(renamed.results[0]!.status).toBe("UPDATED");
    expect(renamed.customers[0]).toEqual({
      externalId: "P1",
      email: "p1@example.test",
      name: "Pia Lund",
      tags: ["vip"],
      nps: 9,
      acquisitionChannel: "email",
      acquisitionCost: { amount: "12.50" },
      createdAt: "2023-05-01T00:00:00.000Z",
    });
    const same = await upsert([{ externalId: "P1", name: "Pia Lund" }]);
    expect(same.results[0]!.status).toBe("UNCHANGED");

    const cleared = await upsert([{ externalId: "P1", email: null, tags: null, nps: null }]);
    expect(cleared.customers[0]).toMatchObject({
      email: null,
      name: "Pia Lund",
      tags: [],
      nps: null,
      acquisitionChannel: "email",
    });
  });

  it("needs createdAt to create a customer, not to update one", async () => {
    const result = await upsert([{ externalId: "P2", name: "No date" }]);
    expect(result.results[0]!.status).toBe("REJECTED");
    expect(result.userErrors[0]).toMatchObject({ field: "input.0.createdAt", code: "REQUIRED" });
  });

  it("refuses an order placed before its customer was first seen", async () => {
    const res = await api.gql<{
      recordOrders: {
        results: { status: string }[];
        userErrors: { field: string; code: string }[];
      };
    }>(
      RECORD,
      {
        input: [
          {
            externalId: "PO-EARLY",
            customerExternalId: "P1",
            placedAt: "2023-04-30T23:59:59Z",
            amount: "5.00",
            currency: "USD",
            status: "COMPLETED",
          },
          {
            externalId: "PO-ONTIME",
            customerExternalId: "P1",
            placedAt: "2023-05-01T00:00:00Z",
            amount: "5.00",
            currency: "USD",
            status: "COMPLETED",
          },
        ],
      },
      token,
    );
    expect(res.data!.recordOrders.results.map((r) => r.status)).toEqual(["REJECTED", "CREATED"]);
    expect(res.data!.recordOrders.userErrors).toEqual([
      expect.objectContaining({ field: "input.0.placedAt", code: "BEFORE_CUSTOMER" }),
    ]);
  });
});
