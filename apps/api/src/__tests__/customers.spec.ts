import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "typeorm";
import { CustomerEntity } from "../modules/customers/customer.entity";
import { OrderEntity } from "../modules/orders/order.entity";
import { startTestApi, type GraphQLResponse, type TestApi } from "../testing/test-server";

/** Counts SQL statements while `counting` is on. */
class QueryCounter implements Logger {
  counting = false;
  queries: string[] = [];
  logQuery(query: string) {
    if (this.counting) this.queries.push(query);
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}

interface Row {
  id: string;
  name: string;
  createdAt: string;
  orderCount: number;
  totalSpent: { amount: string };
  lastOrderAt: string | null;
}

interface ListResult {
  customers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: Row }[];
  };
}

const LIST = `query($first: Int, $after: String, $orderBy: CustomerOrderBy, $filter: CustomerFilter) {
  customers(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name createdAt orderCount totalSpent { amount } lastOrderAt } }
  }
}`;

const CHANNELS = ["organic", "paid_search", "social"];
const N = 57;

describe("customers over GraphQL", () => {
  const counter = new QueryCounter();
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    // No timers: the query count below is of one request alone.
    api = await startTestApi({ logger: counter, jobs: { triggers: false } });
    token = await api.adminToken();
    const customers = api.db.dataSource.getRepository(CustomerEntity);
    const orders = api.db.dataSource.getRepository(OrderEntity);
    // Deliberate ties in every sort column (names repeat, counts repeat, some never ordered) so
    // that keyset paging must use the id tie-breaker to be complete.
    const rows = Array.from({ length: N }, (_, i) => ({
      externalId: `C-${String(i).padStart(3, "0")}`,
      email: `c${i}@example.test`,
      name: ["Chen Wei", "Ada", "Zoë", "Bruno", "ada"][i % 5]!,
      firstSeenAt: new Date(Date.UTC(2024, 0, 1 + (i % 20), 12, 0, 0, i)),
      acquisitionChannel: CHANNELS[i % 3]!,
      orderCount: i % 4,
      totalSpentMinor: (i % 4) * 1000 + (i % 7),
      lastOrderAt: i % 4 === 0 ? null : new Date(Date.UTC(2025, 0, 1 + (i % 9))),
    }));
    await customers.insert(rows);
    const saved = await customers.find({ order: { id: "ASC" } });
    const orderRows = saved.flatMap((c, i) =>
      Array.from({ length: i % 4 }, (_, k) => ({
        externalId: `O-${c.externalId}-${k}`,
        customerId: c.id,
        placedAt: new Date(Date.UTC(2025, 0, 1 + k)),
        amountMinor: 1000 + k,
        marginMinor: k === 0 ? null : 300,
        currency: "USD",
        status: k === 2 ? ("refunded" as const) : ("completed" as const),
      })),
    );
    await orders.insert(orderRows);
  });
  afterAll(async () => api?.close());

  async function all(
    orderBy: Record<string, string>,
    filter?: Record<string, unknown>,
    first = 10,
  ) {
    const seen: Row[] = [];
    let after: string | null = null;
    let total = -1;
    for (let guard = 0; guard < 100; guard++) {
      const res: GraphQLResponse<ListResult> = await api.gql<ListResult>(
        LIST,
        { first, after, orderBy, filter },
        token,
      );
      expect(res.errors).toBeUndefined();
      const page: ListResult["customers"] = res.data!.customers;
      total = page.totalCount;
      seen.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return { seen, total };
  }

  const sortKey: Record<string, (r: Row) => string | number | null> = {
    NAME: (r) => r.name,
    FIRST_SEEN_AT: (r) => r.createdAt,
    TOTAL_SPENT: (r) => Number(r.totalSpent.amount.replace(".", "")),
    ORDER_COUNT: (r) => r.orderCount,
    LAST_ORDER_AT: (r) => r.lastOrderAt,
  };

  for (const field of Object.keys(sortKey)) {
    for (const direction of ["ASC", "DESC"]) {
      it(`pages through every customer exactly once by ${field} ${direction}`, async () => {
        const { seen, total } = await all({ field, direction });
        expect(total).toBe(N);
        expect(new Set(seen.map((r) => r.id)).size).toBe(N);
        const values = seen.map(sortKey[field]!);
        for (let i = 1; i < values.length; i++) {
          const [a, b] = [values[i - 1]!, values[i]!];
          if (a === null || b === null) {
            // NULLs first ascending, last descending
            if (direction === "ASC") expect(a === null || b !== null).toBe(true);
            else expect(b === null || a !== null).toBe(true);
            continue;
          }
          if (field === "NAME") continue; // collation order, checked below
          if (direction === "ASC") expect(a <= b).toBe(true);
          else expect(a >= b).toBe(true);
        }
      });
    }
  }

  it("sorts names case-insensitively by the database collation", async () => {
    const { seen } = await all({ field: "NAME", direction: "ASC" }, undefined, 250);
    const firstOfEach = [...new Set(seen.map((r) => r.name.toLowerCase()))];
    expect(firstOfEach).toEqual(["ada", "bruno", "chen wei", "zoë"]);
  });

  it("searches name, email and external id, and filters by channel and first-seen date", async () => {
    const byName = await all({ field: "NAME", direction: "ASC" }, { search: "chen" });
    expect(byName.total).toBe(Math.ceil(N / 5));
    const byEmail = await all({ field: "NAME", direction: "ASC" }, { search: "c12@example" });
    expect(byEmail.seen.map((r) => r.id)).toHaveLength(1);
    const literal = await all({ field: "NAME", direction: "ASC" }, { search: "%" });
    expect(literal.total).toBe(0);
    const social = await all({ field: "NAME", direction: "ASC" }, { channels: ["social"] });
    expect(social.total).toBe(Math.floor(N / 3));
    const january = await all(
      { field: "FIRST_SEEN_AT", direction: "ASC" },
      { createdFrom: "2024-01-05T00:00:00Z", createdTo: "2024-01-10T00:00:00Z" },
    );
    expect(
      january.seen.every((r) => r.createdAt >= "2024-01-05" && r.createdAt < "2024-01-10"),
    ).toBe(true);
    expect(january.total).toBe(15);
  });

  it("rejects a cursor made for another ordering", async () => {
    const first = await api.gql<{ customers: { pageInfo: { endCursor: string } } }>(
      LIST,
      { first: 2, orderBy: { field: "NAME", direction: "ASC" } },
      token,
    );
    const res = await api.gql(
      LIST,
      {
        first: 2,
        after: first.data!.customers.pageInfo.endCursor,
        orderBy: { field: "ORDER_COUNT" },
      },
      token,
    );
    expect(res.errors?.[0]?.message).toMatch(/cursor was made for ordering NAME:ASC/);
  });

  it("reads a page of customers with their orders in a constant number of queries", async () => {
    const query = `{ customers(first: 57) { edges { node { id orders(first: 5) { totalCount edges { node { externalId status amount { amount } margin { amount } customer { externalId } } } } } } } }`;
    counter.queries = [];
    counter.counting = true;
    const res = await api.gql<{
      customers: { edges: { node: { orders: { totalCount: number; edges: unknown[] } } }[] };
    }>(query, {}, token);
    counter.counting = false;
    expect(res.errors).toBeUndefined();
    const sql = counter.queries.filter((q) => !/^(START TRANSACTION|COMMIT|SELECT 1)/i.test(q));
    const orderTotal = res.data!.customers.edges.reduce(
      (sum, e) => sum + e.node.orders.totalCount,
      0,
    );
    expect(orderTotal).toBe(Array.from({ length: N }, (_, i) => i % 4).reduce((a, b) => a + b, 0));
    // auth (user lookup) + customers page + order counts + latest order ids + orders + customers of orders
    expect(sql.length).toBeLessThanOrEqual(7);
  });

  it("pages one customer's orders newest first", async () => {
    const c = await api.gql<{
      customer: {
        orders: {
          totalCount: number;
          pageInfo: { endCursor: string; hasNextPage: boolean };
          edges: { node: { externalId: string } }[];
        };
      };
    }>(
      '{ customer(externalId: "C-003") { orders(first: 2) { totalCount pageInfo { endCursor hasNextPage } edges { node { externalId } } } } }',
      {},
      token,
    );
    const orders = c.data!.customer.orders;
    expect(orders.totalCount).toBe(3);
    expect(orders.edges.map((e) => e.node.externalId)).toEqual(["O-C-003-2", "O-C-003-1"]);
    const next = await api.gql<{
      customer: {
        orders: { pageInfo: { hasNextPage: boolean }; edges: { node: { externalId: string } }[] };
      };
    }>(
      `query($after: String) { customer(externalId: "C-003") { orders(first: 2, after: $after) { pageInfo { hasNextPage } edges { node { externalId } } } } }`,
      { after: orders.pageInfo.endCursor },
      token,
    );
    expect(next.data!.customer.orders.edges.map((e) => e.node.externalId)).toEqual(["O-C-003-0"]);
    expect(next.data!.customer.orders.pageInfo.hasNextPage).toBe(false);
  });
});
