import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource } from "../../db/data-source";
import { systemActor } from "../audit/audit.service";
import { UserService } from "../users/user.service";
import { EMAIL_LOGIN_POLICY, LoginThrottle } from "./login-throttle";

// The same SQL runs on the embedded SQLite file (the demo), where the upsert and the dates differ.
describe("login limits and sessions on the embedded SQLite database", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-throttle-"));
  let dataSource: DataSource;
  const options = { jwtSecret: "s".repeat(32), ttlSeconds: 60, clientIp: "198.51.100.7" };

  beforeAll(async () => {
    dataSource = createDataSource({ sqlitePath: path.join(dir, "valuetier.sqlite") });
    await dataSource.initialize();
    await new UserService(dataSource).create(
      { email: "dee@example.test", password: "dee-password-1", role: "ADMIN" },
      systemActor("test"),
    );
  });
  afterAll(async () => {
    await dataSource?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts, locks with a wait, and starts again after the lock and a success", async () => {
    const throttle = new LoginThrottle(dataSource);
    const t0 = new Date("2030-01-01T00:00:00.000Z");
    for (let i = 0; i <= EMAIL_LOGIN_POLICY.freeFailures; i++)
      expect(await throttle.charge("x@example.test", "203.0.113.1", t0)).toEqual({ allowed: true });
    expect(await throttle.charge("x@example.test", "203.0.113.1", t0)).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    const later = new Date(t0.getTime() + 1000);
    expect(await throttle.charge("x@example.test", "203.0.113.1", later)).toEqual({
      allowed: true,
    });
    await dataSource.transaction((m) => throttle.succeeded(m, "x@example.test", "203.0.113.1"));
    const rows = await dataSource.query(
      "SELECT kind, failures FROM login_attempts WHERE subject IN (?, ?) ORDER BY kind",
      ["x@example.test", "203.0.113.1"],
    );
    expect(rows).toEqual([{ kind: "ip", failures: EMAIL_LOGIN_POLICY.freeFailures + 1 }]);
  });

  it("logs in, refuses the wrong password, and ends sessions on logout", async () => {
    const users = new UserService(dataSource);
    const bad = await users.login("dee@example.test", "wrong-password", options);
    expect("userError" in bad && bad.userError.code).toBe("INVALID_CREDENTIALS");
    const good = await users.login("dee@example.test", "dee-password-1", options);
    if ("userError" in good) throw new Error(good.userError.message);
    const [session] = await dataSource.query("SELECT id, revoked_at FROM sessions");
    expect(session.revoked_at).toBeNull();
    expect(await users.logout(session.id, systemActor("test"))).toBe(true);
    expect(await users.logout(session.id, systemActor("test"))).toBe(false);
  });
});
