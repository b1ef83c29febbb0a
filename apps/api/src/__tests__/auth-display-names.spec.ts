import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeyEntity } from "../modules/api-keys/api-key.entity";
import { startTestApi, type TestApi } from "../testing/test-server";

const CREATE_KEY =
  'mutation($n: String!) { createApiKey(input: { name: $n, scopes: ["customers:read"] }) { apiKey { name } secret userErrors { field code message } } }';
const CREATE_USER =
  'mutation($n: String!) { createUser(input: { email: "c@example.test", name: $n, password: "c-password-1", role: ANALYST }) { user { name } userErrors { field code } } }';
const RENAME_USER =
  "mutation($id: ID!, $n: String!) { updateUser(input: { id: $id, name: $n }) { user { name } userErrors { field code } } }";

interface KeyData {
  createApiKey: {
    apiKey: { name: string } | null;
    secret: string | null;
    userErrors: { field: string; code: string; message: string }[];
  };
}

describe("names people read: API keys and users", () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.adminToken();
  });
  afterAll(async () => api?.close());

  it("refuses control characters in an API key name, saying which and where", async () => {
    for (const name of ["shop\u0000", "shop\nSet-Cookie: x", "\u001b[2Jshop", "\u202Eshop"]) {
      const res = await api.gql<KeyData>(CREATE_KEY, { n: name }, token);
      expect(res.data?.createApiKey.apiKey).toBeNull();
      expect(res.data?.createApiKey.secret).toBeNull();
      expect(res.data?.createApiKey.userErrors).toEqual([
        {
          field: "input.name",
          code: "INVALID_CHARACTERS",
          message: expect.stringMatching(
            /^name contains the control character U\+[0-9A-F]{4} at position \d+/,
          ),
        },
      ]);
    }
    expect(await api.db.dataSource.getRepository(ApiKeyEntity).count()).toBe(0);
  });

  it("trims API key names and caps them at 120 characters with a user error", async () => {
    const ok = await api.gql<KeyData>(CREATE_KEY, { n: "  storefront  " }, token);
    expect(ok.data?.createApiKey.apiKey).toEqual({ name: "storefront" });
    const long = await api.gql<KeyData>(CREATE_KEY, { n: "k".repeat(121) }, token);
    expect(long.data?.createApiKey.userErrors).toEqual([
      {
        field: "input.name",
        code: "TOO_LONG",
        message: "name has 121 characters; at most 120 are allowed",
      },
    ]);
    const empty = await api.gql<KeyData>(CREATE_KEY, { n: " \t " }, token);
    expect(empty.data?.createApiKey.userErrors[0]?.code).toBe("REQUIRED");
  });

  it("holds user names to the same rule when created and renamed", async () => {
    const bad = await api.gql<{ createUser: { userErrors: { field: string; code: string }[] } }>(
      CREATE_USER,
      { n: "Carol\r\nAdmin" },
      token,
    );
    expect(bad.data?.createUser.userErrors).toEqual([
      { field: "input.name", code: "INVALID_CHARACTERS" },
    ]);
    const good = await api.gql<{ createUser: { user: { name: string } } }>(
      CREATE_USER,
      { n: "  Carol  " },
      token,
    );
    expect(good.data?.createUser.user).toEqual({ name: "Carol" });
    const [row] = await api.db.dataSource.query(
      "SELECT id FROM users WHERE email = 'c@example.test'",
    );
    const renamed = await api.gql(RENAME_USER, { id: String(row.id), n: "x\u0007" }, token);
    expect(renamed.data).toEqual({
      updateUser: { user: null, userErrors: [{ field: "input.name", code: "INVALID_CHARACTERS" }] },
    });
  });
});
