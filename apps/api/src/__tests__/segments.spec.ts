import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../testing/test-server";

// Saved segments and segmentPreview over HTTP against MySQL: the segment language, the one
// audience model and the segment store together.

const CREATE = `mutation($input: SegmentInput!) {
  createSegment(input: $input) { segment { id name query memberCount } userErrors { field code message } }
}`;
const PREVIEW = `query($q: String!) {
  segmentPreview(query: $q) { count sample { id externalId } errors { offset line column length message } }
}`;

interface Preview {
  segmentPreview: {
    count: number | null;
    sample: { id: string; externalId: string }[];
    errors: { offset: number; line: number; column: number; length: number; message: string }[];
  };
}

describe("segments", () => {
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.adminToken();
    const customers = Array.from({ length: 12 }, (_, i) => ({
      externalId: `S${String(i + 1).padStart(2, "0")}`,
      name: `Customer ${i + 1}`,
      createdAt: "2024-01-01T00:00:00Z",
      tags: i % 3 === 0 ? ["vip"] : [],
      acquisitionChannel: i % 2 === 0 ? "email" : "paid",
    }));
    const up = await api.gql<{ upsertCustomers: { userErrors: unknown[] } }>(
      "mutation($input: [CustomerInput!]!) { upsertCustomers(input: $input) { userErrors { message } } }",
      { input: customers },
      admin,
    );
    expect(up.data!.upsertCustomers.userErrors).toEqual([]);
    const orders = customers.flatMap((c, i) =>
      Array.from({ length: i % 4 }, (_, k) => ({
        externalId: `${c.externalId}-O${k}`,
        customerExternalId: c.externalId,
        placedAt: `2024-0${k + 2}-01T10:00:00Z`,
        amount: "40.00",
        currency: "USD",
        status: "COMPLETED",
      })),
    );
    const rec = await api.gql<{ recordOrders: { userErrors: unknown[] } }>(
      "mutation($input: [OrderInput!]!) { recordOrders(input: $input) { userErrors { message } } }",
      { input: orders },
      admin,
    );
    expect(rec.data!.recordOrders.userErrors).toEqual([]);
  });

  afterAll(async () => {
    await api?.close();
  });

  it("previews a query: how many, who, and nothing stored", async () => {
    const res = await api.gql<Preview>(
      PREVIEW,
      { q: "order_count >= 2 AND tags CONTAINS 'vip'" },
      admin,
    );
    // i % 4 >= 2 and i % 3 == 0: i = 3, 6 → S04, S07.
    expect(res.data!.segmentPreview).toEqual({
      count: 2,
      sample: [
        expect.objectContaining({ externalId: "S04" }),
        expect.objectContaining({ externalId: "S07" }),
      ],
      errors: [],
    });
  });

  it("says where a query cannot be read", async () => {
    const res = await api.gql<Preview>(
      PREVIEW,
      { q: "order_count >= 2 AND\n  churn_risk = 'hgih'" },
      admin,
    );
    const preview = res.data!.segmentPreview;
    expect(preview.count).toBeNull();
    expect(preview.errors).toHaveLength(1);
    expect(preview.errors[0]).toMatchObject({ line: 2, column: 16 });
    expect(preview.errors[0]!.message).toContain("high");
  });

  it("saves, counts, renames, refuses duplicates and bad queries, and deletes segments", async () => {
    const created = await api.gql<{
      createSegment: {
        segment: { id: string; memberCount: number } | null;
        userErrors: { code: string }[];
      };
    }>(CREATE, { input: { name: "Regulars", query: "order_count >= 2" } }, admin);
    expect(created.data!.createSegment.userErrors).toEqual([]);
    const segment = created.data!.createSegment.segment!;
    expect(segment.memberCount).toBe(6);

    const twice = await api.gql<{ createSegment: { userErrors: { code: string }[] } }>(
      CREATE,
      { input: { name: "Regulars", query: "nps >= 9" } },
      admin,
    );
    expect(twice.data!.createSegment.userErrors.map((e) => e.code)).toEqual(["NAME_TAKEN"]);

    const bad = await api.gql<{
      createSegment: { userErrors: { field: string; code: string; message: string }[] };
    }>(CREATE, { input: { name: "Broken", query: "clv >" } }, admin);
    expect(bad.data!.createSegment.userErrors).toEqual([
      expect.objectContaining({
        field: "input.query",
        code: "INVALID_QUERY",
        message: expect.stringContaining("column"),
      }),
    ]);

    const updated = await api.gql<{
      updateSegment: { segment: { name: string; memberCount: number } };
    }>(
      `mutation($input: UpdateSegmentInput!) { updateSegment(input: $input) { segment { name memberCount } userErrors { code } } }`,
      {
        input: {
          id: segment.id,
          name: "Regulars by email",
          query: "order_count >= 2 AND acquisition_channel = 'email'",
        },
      },
      admin,
    );
    expect(updated.data!.updateSegment.segment).toEqual({
      name: "Regulars by email",
      memberCount: 3,
    });

    const listed = await api.gql<{ segments: { name: string }[] }>(
      "{ segments { name } }",
      {},
      admin,
    );
    expect(listed.data!.segments.map((s) => s.name)).toEqual(["Regulars by email"]);

    const deleted = await api.gql<{ deleteSegment: { deletedId: string } }>(
      "mutation($id: ID!) { deleteSegment(id: $id) { deletedId userErrors { code } } }",
      { id: segment.id },
      admin,
    );
    expect(deleted.data!.deleteSegment.deletedId).toBe(segment.id);
    const audit: { action: string }[] = await api.db.dataSource.query(
      "SELECT action FROM audit_log WHERE entity_type = 'segment' ORDER BY id",
    );
    expect(audit.map((a) => a.action)).toEqual([
      "segment.create",
      "segment.update",
      "segment.delete",
    ]);
  });

  it("filters the customers list by a saved segment and by a query, through the same audience", async () => {
    const created = await api.gql<{ createSegment: { segment: { id: string } } }>(
      CREATE,
      { input: { name: "VIPs", query: "tags CONTAINS 'vip'" } },
      admin,
    );
    const segmentId = created.data!.createSegment.segment.id;
    const list = async (filter: Record<string, unknown>) => {
      const res = await api.gql<{
        customers: { totalCount: number; edges: { node: { externalId: string } }[] };
      }>(
        "query($f: CustomerFilter) { customers(filter: $f, first: 50, orderBy: { field: NAME, direction: ASC }) { totalCount edges { node { externalId } } } }",
        { f: filter },
        admin,
      );
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      return {
        total: res.data!.customers.totalCount,
        ids: res.data!.customers.edges.map((e) => e.node.externalId).sort(),
      };
    };
    expect(await list({ segmentId })).toEqual({ total: 4, ids: ["S01", "S04", "S07", "S10"] });
    expect(await list({ segmentId, query: "order_count >= 2" })).toEqual({
      total: 2,
      ids: ["S04", "S07"],
    });
    expect(await list({ segmentId, channels: ["email"] })).toEqual({
      total: 2,
      ids: ["S01", "S07"],
    });
    const bad = await api.gql(
      '{ customers(filter: { query: "order_count >" }) { totalCount } }',
      {},
      admin,
    );
    expect(bad.status).toBe(400);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "query" });
    expect(bad.errors?.[0]?.message).toMatch(/^query: expected a value/);
  });

  it("keeps segments from storefront keys", async () => {
    const key = await api.gql<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(input: { name: "shop", scopes: ["customers:read"] }) { secret } }',
      {},
      admin,
    );
    const res = await api.gql(PREVIEW, { q: "nps >= 9" }, key.data!.createApiKey.secret);
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("answers any hostile query with a count or a positioned error, never a server error", async () => {
    const pieces = [
      "'; DROP TABLE customers; --",
      "1 OR 1=1",
      "name = 'x' UNION SELECT password_hash FROM users",
      "\\",
      "/*",
      "tier = '",
      "((((((((((",
      "name CONTAINS '%'",
      "email = 'a''b'",
      "last_order_date < -99999999d",
      "clv > 1e309",
      "\u0000",
      "😀 = 1",
    ];
    let state = 7;
    const rnd = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 60; i++) {
      const q = Array.from(
        { length: 1 + Math.floor(rnd() * 3) },
        () => pieces[Math.floor(rnd() * pieces.length)]!,
      ).join(rnd() < 0.5 ? " AND " : " ");
      const res = await api.gql<Preview>(PREVIEW, { q }, admin);
      expect(res.status, q).toBe(200);
      const preview = res.data!.segmentPreview;
      if (preview.errors.length > 0) {
        expect(preview.count, q).toBeNull();
        expect(preview.errors[0]!.offset, q).toBeLessThanOrEqual(q.length);
      } else {
        expect(typeof preview.count, q).toBe("number");
      }
    }
    const [{ n }] = await api.db.dataSource.query("SELECT COUNT(*) AS n FROM customers");
    expect(Number(n)).toBe(12);
  });
});
