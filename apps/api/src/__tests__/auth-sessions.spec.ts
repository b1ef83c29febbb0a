import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../modules/audit/audit.service";
import { UserService } from "../modules/users/user.service";
import { startTestApi, type TestApi } from "../testing/test-server";

const LOGIN =
  "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token userErrors { code } } }";
const ME = "{ me { email } }";
const LOGOUT = "mutation { logout { loggedOut userErrors { code } } }";
const SET_DISABLED =
  "mutation($id: ID!, $d: Boolean!) { updateUser(input: { id: $id, disabled: $d }) { user { disabled } userErrors { code } } }";

describe("sessions over HTTP", () => {
  let api: TestApi;
  let adminToken: string;
  let bobId: string;
  const bob = { email: "bob@example.test", password: "bob-password-1" };

  const loginBob = async () => {
    const res = await api.gql<{ login: { token: string | null } }>(LOGIN, {
      e: bob.email,
      p: bob.password,
    });
    const token = res.data?.login.token;
    if (!token) throw new Error(`bob cannot log in: ${JSON.stringify(res)}`);
    return token;
  };

  beforeAll(async () => {
    api = await startTestApi();
    adminToken = await api.adminToken();
    const created = await new UserService(api.db.dataSource).create(
      { ...bob, role: "MARKETER" },
      systemActor("test"),
    );
    if (Array.isArray(created)) throw new Error(JSON.stringify(created));
    bobId = String(created.id);
  });
  afterAll(async () => api?.close());

  it("logout ends the session of that token only", async () => {
    const first = await loginBob();
    const second = await loginBob();
    expect((await api.gql(ME, {}, first)).data).toEqual({ me: { email: bob.email } });

    const out = await api.gql(LOGOUT, {}, first);
    expect(out.data).toEqual({ logout: { loggedOut: true, userErrors: [] } });
    const after = await api.gql(ME, {}, first);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]).toMatchObject({
      message: "this session has ended: log in again",
      extensions: { code: "UNAUTHENTICATED" },
    });
    expect((await api.gql(ME, {}, second)).data).toEqual({ me: { email: bob.email } });

    const [row] = await api.db.dataSource.query(
      "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'user.logout' AND entity_id = ?",
      [bobId],
    );
    expect(Number(row.n)).toBe(1);
  });

  it("does not bring an old token back when a disabled user is enabled again", async () => {
    const old = await loginBob();
    const disabled = await api.gql(SET_DISABLED, { id: bobId, d: true }, adminToken);
    expect(disabled.data).toEqual({ updateUser: { user: { disabled: true }, userErrors: [] } });
    expect((await api.gql(ME, {}, old)).status).toBe(401);

    const enabled = await api.gql(SET_DISABLED, { id: bobId, d: false }, adminToken);
    expect(enabled.data).toEqual({ updateUser: { user: { disabled: false }, userErrors: [] } });
    const reused = await api.gql(ME, {}, old);
    expect(reused.status).toBe(401);
    expect(reused.errors?.[0]?.message).toBe("this session has ended: log in again");

    const fresh = await loginBob();
    expect((await api.gql(ME, {}, fresh)).data).toEqual({ me: { email: bob.email } });
  });

  it("refuses a session past its expiry even while the token's own expiry is ahead", async () => {
    const token = await loginBob();
    const { jti } = jwt.decode(token) as { jti: string };
    await api.db.dataSource.query(
      "UPDATE sessions SET expires_at = '2000-01-01 00:00:00.000' WHERE id = ?",
      [jti],
    );
    const res = await api.gql(ME, {}, token);
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.message).toBe("this session has expired: log in again");
  });

  it("refuses correctly signed tokens that name no session, or another user's", async () => {
    const secret = api.config.jwtSecret;
    const sign = (payload: object, options: jwt.SignOptions) =>
      jwt.sign(payload, secret, { algorithm: "HS256", issuer: "valuetier", ...options });
    // The token format before sessions: a user id and a role, valid for hours.
    const legacy = sign({ role: "ADMIN" }, { subject: bobId, expiresIn: 3600 });
    expect((await api.gql(ME, {}, legacy)).status).toBe(401);

    const bobToken = await loginBob();
    const { jti } = jwt.decode(bobToken) as { jti: string };
    const me = await api.gql<{ me: { email: string } }>(ME, {}, adminToken);
    expect(me.data?.me.email).toBe(api.admin.email);
    const adminId = (
      await api.db.dataSource.query("SELECT id FROM users WHERE email = ?", [api.admin.email])
    )[0].id;
    // Bob's session id with the admin's user id: refused, not an admin session.
    const forged = sign({}, { subject: String(adminId), jwtid: jti, expiresIn: 3600 });
    const res = await api.gql(ME, {}, forged);
    expect(res.status).toBe(401);
  });

  it("answers logout with an API key as a user error: a key has no session", async () => {
    const created = await api.gql<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(input: { name: "shop", scopes: ["customers:read"] }) { secret } }',
      {},
      adminToken,
    );
    const res = await api.gql(LOGOUT, {}, created.data!.createApiKey.secret);
    expect(res.data).toEqual({
      logout: { loggedOut: false, userErrors: [{ code: "NOT_A_SESSION" }] },
    });
  });
});
