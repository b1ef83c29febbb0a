import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { UserService } from "../modules/users/user.service";
import { startServer, type RunningServer } from "../server";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";

// A hostile caller against the production server: client mistakes are 400 (413 for size) with
// a JSON GraphQL-style body and a code, never an HTML page or a logged stack trace; what the
// caller sent comes back only in part; the schema is not shown; every response has the
// security headers.

const admin = { email: "admin@example.test", password: "correct horse battery" };

interface Api {
  server: RunningServer;
  logged: unknown[];
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  gql(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{ status: number; body: GraphQLBody; text: string }>;
}

interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

let db: TestDatabase;
const running: RunningServer[] = [];

async function start(env: Record<string, string>): Promise<Api> {
  const adminDist = mkdtempSync(path.join(tmpdir(), "vt-admin-dist-"));
  writeFileSync(path.join(adminDist, "index.html"), "<!doctype html><title>admin</title>");
  mkdirSync(path.join(adminDist, "assets"));
  writeFileSync(path.join(adminDist, "assets", "app.js"), "console.log('admin')");
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: "0",
    JWT_SECRET: randomBytes(32).toString("hex"),
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "vt-http-")),
    ADMIN_DIST_DIR: adminDist,
    ...env,
  });
  const logged: unknown[] = [];
  const log = { error: (...args: unknown[]) => logged.push(args) } as unknown as Console;
  const server = await startServer(config, db.dataSource, log);
  running.push(server);
  const endpoint = `${server.url}/graphql`;
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  return {
    server,
    logged,
    post,
    async gql(query, variables, token) {
      const response = await post(
        JSON.stringify({ query, variables }),
        token ? { authorization: `Bearer ${token}` } : {},
      );
      const text = await response.text();
      return { status: response.status, body: JSON.parse(text) as GraphQLBody, text };
    },
  };
}

async function login(api: Api): Promise<string> {
  const res = await api.gql(
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
    { e: admin.email, p: admin.password },
  );
  const token = (res.body.data as { login: { token: string | null } } | undefined)?.login.token;
  if (!token) throw new Error(`admin login failed: ${res.text}`);
  return token;
}

/** A JSON body with one error: its code and message. */
async function jsonError(response: Response) {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as GraphQLBody;
  expect(body.errors).toHaveLength(1);
  return {
    status: response.status,
    code: body.errors![0]!.extensions?.code,
    message: body.errors![0]!.message,
  };
}

beforeAll(async () => {
  db = await createTestDatabase("vt_http");
  await new UserService(db.dataSource).ensureFirstAdmin(admin.email, admin.password);
});

afterAll(async () => {
  for (const server of running) await server.close();
  await db?.drop();
});

describe("the production server, to a hostile caller", () => {
  let api: Api;
  beforeAll(async () => {
    api = await start({ NODE_ENV: "production" });
  });

  it("answers a wrong-typed variable with 400 BAD_USER_INPUT", async () => {
    const res = await api.gql("query($f: Int!) { customers(first: $f) { totalCount } }", {
      f: "abc",
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('Variable "$f" got invalid value "abc"'),
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("answers an impossible date in a DateTime variable with 400 BAD_USER_INPUT", async () => {
    const res = await api.gql(
      "query($d: DateTime) { customers(filter: { createdFrom: $d }) { totalCount } }",
      { d: "2024-02-31T00:00:00Z" },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("echoes at most 200 characters of a megabyte variable", async () => {
    const huge = "x".repeat(1_000_000);
    const res = await api.gql("query($f: Int!) { customers(first: $f) { totalCount } }", {
      f: huge,
    });
    expect(res.status).toBe(400);
    const message = res.body.errors![0]!.message;
    expect(message).toContain(`"${"x".repeat(200)}… (1000000 characters)"`);
    expect(message).not.toContain("x".repeat(201));
    expect(res.text.length).toBeLessThan(2_000);
  });

  it("does not send back the input that failed validation", async () => {
    const token = await login(api);
    const res = await api.gql(
      "mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } } }",
      {
        input: {
          email: "new@example.test",
          name: "n".repeat(1_000_000),
          password: "long enough",
          role: "MARKETER",
        },
      },
      token,
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.text).not.toContain("n".repeat(1000));
    expect(res.text.length).toBeLessThan(2_000);
    expect(res.body.errors?.[0]?.extensions?.validationErrors).toEqual([
      { property: "name", constraints: { maxLength: expect.any(String) } },
    ]);
  });

  it("answers a body that is not JSON with a JSON 400", async () => {
    expect(await jsonError(await api.post('{"query":'))).toEqual({
      status: 400,
      code: "BAD_REQUEST",
      message: "the request body is not valid JSON: Unexpected end of JSON input",
    });
  });

  it("answers a content type other than JSON with a JSON 400", async () => {
    expect(
      await jsonError(await api.post("<query/>", { "content-type": "application/xml" })),
    ).toEqual({
      status: 400,
      code: "BAD_REQUEST",
      message:
        'POST /graphql takes a JSON body with content-type: application/json, not "application/xml"',
    });
  });

  it("answers a body over 5 MB with a JSON 413", async () => {
    const body = JSON.stringify({ query: "{ me { id } }", variables: { x: "y".repeat(6e6) } });
    expect(await jsonError(await api.post(body))).toEqual({
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
      message: "the request body is larger than 5 MB",
    });
  });

  it("logged none of the client errors above", () => {
    expect(api.logged).toEqual([]);
  });

  it("refuses introspection, anonymous or signed in", async () => {
    const query = "{ __schema { types { name } } }";
    for (const token of [undefined, await login(api)]) {
      const res = await api.gql(query, undefined, token);
      expect(res.status).toBe(400);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    }
  });

  it("does not suggest field names", async () => {
    const res = await api.gql("{ custome { id } }");
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toBe('Cannot query field "custome" on type "Query".');
  });

  it("sends the security headers with every response", async () => {
    const responses = [
      await fetch(`${api.server.url}/healthz`),
      await fetch(`${api.server.url}/`),
      await fetch(`${api.server.url}/customers/42`),
      await fetch(`${api.server.url}/assets/app.js`),
      await fetch(`${api.server.url}/graphql`),
      await api.post("{}"),
      await api.post("{", {}),
    ];
    for (const response of responses) {
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, response.url).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });
});

describe("the development server", () => {
  let api: Api;
  beforeAll(async () => {
    api = await start({ NODE_ENV: "development" });
  });

  it("keeps introspection and suggestions for developers", async () => {
    const schema = await api.gql("{ __schema { queryType { name } } }");
    expect(schema.body.data).toEqual({ __schema: { queryType: { name: "Query" } } });
    const typo = await api.gql("{ custome { id } }");
    expect(typo.body.errors?.[0]?.message).toContain("Did you mean");
  });

  it("lets Apollo's sandbox page at GET /graphql load from its CDN (no CSP there)", async () => {
    const page = await fetch(`${api.server.url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.headers.get("content-security-policy")).toBeNull();
    expect(page.headers.get("x-frame-options")).toBe("DENY");
  });
});
