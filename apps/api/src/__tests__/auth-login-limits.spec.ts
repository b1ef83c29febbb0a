import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fromSqlDateTime } from "../db/sql-values";
import { EMAIL_LOGIN_POLICY, IP_LOGIN_POLICY } from "../modules/auth/login-throttle";
import { passwordHashesComputed } from "../modules/auth/password";
import { systemActor } from "../modules/audit/audit.service";
import { UserService } from "../modules/users/user.service";
import { startTestApi, type TestApi } from "../testing/test-server";

const LOGIN =
  "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token retryAfterSeconds userErrors { code message } } }";

interface LoginData {
  login: {
    token: string | null;
    retryAfterSeconds: number | null;
    userErrors: { code: string; message: string }[];
  };
}

describe("login attempt limits over HTTP", () => {
  let api: TestApi;
  const ann = { email: "ann@example.test", password: "ann-password-1" };

  const login = async (email: string, password: string) => {
    const res = await api.gql<LoginData>(LOGIN, { e: email, p: password });
    expect(res.errors).toBeUndefined();
    return res.data!.login;
  };
  const code = (l: LoginData["login"]) => l.userErrors[0]?.code ?? "OK";

  beforeAll(async () => {
    // The per-address request budget of the query limits (a separate, in-memory layer) is
    // switched off so that what is tested here is the login limits alone.
    api = await startTestApi({ env: { GRAPHQL_ANONYMOUS_BUDGET: "0" } });
    await new UserService(api.db.dataSource).create(
      { ...ann, name: "Ann", role: "ANALYST" },
      systemActor("test"),
    );
  });
  afterAll(async () => api?.close());
  // Every request comes from 127.0.0.1, so each test starts with clean counters.
  beforeEach(async () => {
    await api.db.dataSource.query("DELETE FROM login_attempts");
  });

  it("refuses the right password after 50 wrong ones, without hashing while locked", async () => {
    const hashesBefore = passwordHashesComputed();
    const codes: string[] = [];
    const started = Date.now();
    for (let i = 0; i < 50; i++) codes.push(code(await login(ann.email, `wrong-${i}`)));
    const loopMs = Date.now() - started;
    const free = EMAIL_LOGIN_POLICY.freeFailures;
    // The free failures, then the one that sets the first lock (1 s), then refusals.
    expect(codes.slice(0, free + 1)).toEqual(Array(free + 1).fill("INVALID_CREDENTIALS"));
    expect(codes[free + 1]).toBe("TOO_MANY_ATTEMPTS");
    const checked = codes.filter((c) => c === "INVALID_CREDENTIALS").length;
    // Only a lock running out while the loop goes on lets another attempt through (then 2 s…).
    expect(checked).toBeLessThanOrEqual(free + 1 + Math.ceil(loopMs / 1000));
    // A refused attempt hashes nothing: one hash per checked attempt, none for the refusals.
    expect(passwordHashesComputed() - hashesBefore).toBe(checked);

    const [row] = await api.db.dataSource.query(
      "SELECT locked_until FROM login_attempts WHERE kind = 'email' AND subject = ?",
      [ann.email],
    );
    expect(fromSqlDateTime(row.locked_until)!.getTime()).toBeGreaterThan(Date.now());
    const hashesBeforeRight = passwordHashesComputed();
    const right = await login(ann.email, ann.password);
    expect(right.token).toBeNull();
    expect(right.userErrors[0]).toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
    expect(right.userErrors[0]!.message).toMatch(/try again in \d+ s/);
    expect(right.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(passwordHashesComputed()).toBe(hashesBeforeRight);
  });

  it("answers an unknown email exactly as a known one, so it reveals nothing", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) codes.push(code(await login("nobody@example.test", `x-${i}`)));
    const free = EMAIL_LOGIN_POLICY.freeFailures;
    expect(codes).toEqual([
      ...Array(free + 1).fill("INVALID_CREDENTIALS"),
      "TOO_MANY_ATTEMPTS",
      "TOO_MANY_ATTEMPTS",
    ]);
  });

  it("counts many attempts sent at once before any of them is checked", async () => {
    const hashesBefore = passwordHashesComputed();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(ann.email, `parallel-${i}`)),
    );
    const codes = results.map(code);
    expect(codes.filter((c) => c === "INVALID_CREDENTIALS")).toHaveLength(
      EMAIL_LOGIN_POLICY.freeFailures + 1,
    );
    expect(codes.filter((c) => c === "TOO_MANY_ATTEMPTS")).toHaveLength(
      30 - EMAIL_LOGIN_POLICY.freeFailures - 1,
    );
    expect(passwordHashesComputed() - hashesBefore).toBe(EMAIL_LOGIN_POLICY.freeFailures + 1);
  });

  it("limits one address across different emails, the right password included", async () => {
    const free = IP_LOGIN_POLICY.freeFailures;
    for (let i = 0; i <= free; i++)
      expect(code(await login(`spray-${i}@example.test`, "guess-1"))).toBe("INVALID_CREDENTIALS");
    const fresh = await login("never-tried@example.test", "guess-1");
    expect(code(fresh)).toBe("TOO_MANY_ATTEMPTS");
    const admin = await login(api.admin.email, api.admin.password);
    expect(code(admin)).toBe("TOO_MANY_ATTEMPTS");
    expect(admin.token).toBeNull();
  });

  it("starts an account's count again after a success", async () => {
    for (let i = 0; i < EMAIL_LOGIN_POLICY.freeFailures - 1; i++)
      expect(code(await login(ann.email, "nope-nope"))).toBe("INVALID_CREDENTIALS");
    expect((await login(ann.email, ann.password)).token).toBeTruthy();
    for (let i = 0; i < EMAIL_LOGIN_POLICY.freeFailures; i++)
      expect(code(await login(ann.email, "nope-nope"))).toBe("INVALID_CREDENTIALS");
  });

  it("audits every login, good, bad and refused, with email and address but no password", async () => {
    const { id: lastId } = (
      await api.db.dataSource.query("SELECT COALESCE(MAX(id), 0) AS id FROM audit_log")
    )[0] as { id: number };
    await login(ann.email, ann.password);
    for (let i = 0; i <= EMAIL_LOGIN_POLICY.freeFailures + 1; i++)
      await login(ann.email, "secret-guess");
    const rows = (await api.db.dataSource.query(
      "SELECT action, actor_type, actor_label, entity_id, after_json FROM audit_log WHERE id > ? ORDER BY id",
      [lastId],
    )) as {
      action: string;
      actor_type: string;
      actor_label: string;
      entity_id: string | null;
      after_json: string;
    }[];
    expect(rows.map((r) => r.action)).toEqual([
      "user.login",
      ...Array(EMAIL_LOGIN_POLICY.freeFailures + 1).fill("user.login_failed"),
      "user.login_refused",
    ]);
    const [good, bad] = rows;
    expect(good).toMatchObject({ actor_type: "user", actor_label: ann.email });
    expect(JSON.parse(good!.after_json)).toEqual({
      email: ann.email,
      clientIp: expect.stringMatching(/127\.0\.0\.1|::1/),
    });
    expect(bad!.actor_label).toMatch(/^anonymous \(.*127\.0\.0\.1|::1\)/);
    expect(JSON.parse(bad!.after_json)).toMatchObject({
      email: ann.email,
      reason: "wrong email or password",
    });
    expect(JSON.parse(rows.at(-1)!.after_json)).toMatchObject({
      email: ann.email,
      retryAfterSeconds: expect.any(Number),
    });
    for (const row of rows) expect(row.after_json).not.toMatch(/secret-guess|ann-password/);
  });
});
