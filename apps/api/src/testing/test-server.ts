import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Logger } from "typeorm";
import { loadConfig, type AppConfig } from "../config";
import type { ApiJobsOptions } from "../modules/jobs/api-jobs";
import { startServer } from "../server";
import { UserService } from "../modules/users/user.service";
import { createTestDatabase, type TestDatabase } from "./test-database";

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
}

export interface TestApi {
  url: string;
  db: TestDatabase;
  config: AppConfig;
  admin: { email: string; password: string };
  /** POSTs a GraphQL operation over real HTTP; `token` is a session token or an API key. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  /** Logs in as the bootstrap admin and returns the token. */
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the real API on a random port over a fresh MySQL database (migrations applied) with a
 * bootstrap admin, for integration tests that send HTTP requests.
 */
export async function startTestApi(
  options: { logger?: Logger; env?: Record<string, string>; jobs?: ApiJobsOptions } = {},
): Promise<TestApi> {
  const db = await createTestDatabase("vt_api", { logger: options.logger });
  const admin = { email: "admin@example.test", password: "correct horse battery" };
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: "0",
    JWT_SECRET: randomBytes(32).toString("hex"),
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "vt-api-")),
    ADMIN_DIST_DIR: path.join(tmpdir(), "vt-no-admin"),
    ...options.env,
  });
  await new UserService(db.dataSource).ensureFirstAdmin(admin.email, admin.password);
  const quiet = { error: () => undefined } as unknown as Console;
  const server = await startServer(config, db.dataSource, quiet, { jobs: options.jobs });
  const endpoint = `${server.url}/graphql`;

  async function gql<T>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>> {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLResponse<T>;
    return { ...body, status: response.status };
  }

  return {
    url: server.url,
    db,
    config,
    admin,
    gql,
    async adminToken() {
      const res = await gql<{ login: { token: string | null } }>(
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token userErrors { code } } }",
        { e: admin.email, p: admin.password },
      );
      const token = res.data?.login.token;
      if (!token) throw new Error(`admin login failed: ${JSON.stringify(res)}`);
      return token;
    },
    async close() {
      await server.close();
      await db.drop();
    },
  };
}
