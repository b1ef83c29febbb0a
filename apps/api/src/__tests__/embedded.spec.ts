import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { loadConfig } from "../config";
import { openDatabase } from "../db/open-database";
import { CustomerEntity } from "../modules/customers/customer.entity";
import { OrderEntity } from "../modules/orders/order.entity";
import { UserService } from "../modules/users/user.service";
import { startServer, type RunningServer } from "../server";

/** Smoke test of the embedded default: no DATABASE_URL, a SQLite file under DATA_DIR. */
describe("embedded SQLite default", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "vt-embedded-"));
  let dataSource: DataSource;
  let server: RunningServer;
  let token: string;

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads loosely shaped JSON
    return (await res.json()) as { data?: Record<string, any>; errors?: { message: string }[] };
  };

  beforeAll(async () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: "0",
      ADMIN_DIST_DIR: path.join(dataDir, "none"),
    });
    expect(config.databaseUrl).toBeUndefined();
    dataSource = await openDatabase(config);
    await new UserService(dataSource).ensureFirstAdmin("admin@example.test", "embedded-pass");
    const [c1, c2] = await dataSource.getRepository(CustomerEntity).save([
      {
        externalId: "E-1",
        email: "one@example.test",
        name: "50% Off Fan",
        firstSeenAt: new Date("2024-03-01T10:00:00.123Z"),
        totalSpentMinor: 5000,
        orderCount: 2,
      },
      {
        externalId: "E-2",
        email: "two@example.test",
        name: "Second",
        firstSeenAt: new Date("2024-04-01T10:00:00Z"),
        totalSpentMinor: 900,
        orderCount: 1,
      },
    ]);
    await dataSource.getRepository(OrderEntity).save([
      {
        externalId: "EO-1",
        customerId: c1!.id,
        placedAt: new Date("2024-03-01T10:00:00Z"),
        amountMinor: 2000,
        marginMinor: 600,
        currency: "USD",
        status: "completed",
      },
      {
        externalId: "EO-2",
        customerId: c1!.id,
        placedAt: new Date("2024-05-01T10:00:00Z"),
        amountMinor: 3000,
        marginMinor: null,
        currency: "USD",
        status: "completed",
      },
      {
        externalId: "EO-3",
        customerId: c2!.id,
        placedAt: new Date("2024-04-02T10:00:00Z"),
        amountMinor: 900,
        marginMinor: null,
        currency: "USD",
        status: "completed",
      },
    ]);
    server = await startServer(config, dataSource, { ...console, error: () => undefined });
    const login = await gql(
      'mutation { login(email: "admin@example.test", password: "embedded-pass") { token } }',
    );
    token = login.data!.login.token;
  });

  afterAll(async () => {
    await server?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates the database file and answers the same queries as MySQL", async () => {
    const res = await gql(`{
      customers(first: 1, orderBy: { field: TOTAL_SPENT, direction: DESC }, filter: { search: "50%", createdFrom: "2024-03-01T10:00:00.123Z" }) {
        totalCount
        edges { node { externalId createdAt totalSpent { amount } orders(first: 1) { totalCount edges { node { externalId margin { amount } } } } } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.customers).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            externalId: "E-1",
            createdAt: "2024-03-01T10:00:00.123Z",
            totalSpent: { amount: "50.00" },
            orders: { totalCount: 2, edges: [{ node: { externalId: "EO-2", margin: null } }] },
          },
        },
      ],
    });
  });

  it("pages with cursors on dates", async () => {
    const first = await gql(
      "{ customers(first: 1, orderBy: { field: FIRST_SEEN_AT, direction: ASC }) { pageInfo { endCursor } edges { node { externalId } } } }",
    );
    const next = await gql(
      "query($a: String) { customers(first: 1, after: $a, orderBy: { field: FIRST_SEEN_AT, direction: ASC }) { pageInfo { hasNextPage } edges { node { externalId } } } }",
      { a: first.data!.customers.pageInfo.endCursor },
    );
    expect(first.data!.customers.edges[0].node.externalId).toBe("E-1");
    expect(next.data!.customers.edges[0].node.externalId).toBe("E-2");
    expect(next.data!.customers.pageInfo.hasNextPage).toBe(false);
  });
});
