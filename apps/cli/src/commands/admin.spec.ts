import { Readable } from "node:stream";
import { systemActor, UserService } from "@valuetier/api/app";
import { createTestDatabase, type TestDatabase } from "@valuetier/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../main";
import type { AdminIo } from "./admin";

async function run(args: string[], stdin?: string) {
  let stdout = "";
  let stderr = "";
  const io: AdminIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stdin: stdin === undefined ? undefined : Readable.from([stdin]),
  };
  const code = await main(["node", "valuetier", ...args], io);
  return { code, stdout, stderr };
}

interface UserRow {
  id: number;
  role: string;
  disabled_at: Date | null;
}

describe("valuetier admin", () => {
  let db: TestDatabase;
  let users: UserService;
  const user = async (email: string): Promise<UserRow | undefined> =>
    (
      await db.dataSource.query("SELECT id, role, disabled_at FROM users WHERE email = ?", [email])
    )[0];
  const loginCode = async (email: string, password: string) => {
    const result = await users.login(email, password, {
      jwtSecret: "x".repeat(32),
      ttlSeconds: 60,
      clientIp: "192.0.2.1",
    });
    return "userError" in result ? result.userError.code : "OK";
  };

  beforeAll(async () => {
    db = await createTestDatabase("vt_cli_admin");
    users = new UserService(db.dataSource);
  });
  afterAll(async () => db?.drop());

  it("creates an admin with the password from stdin, audited as the cli", async () => {
    const result = await run(
      [
        "admin",
        "create",
        "--email",
        "Ops@Example.test",
        "--password-stdin",
        "--database-url",
        db.url,
        "--json",
      ],
      "ops-password-1\n",
    );
    expect(result.stderr).not.toMatch(/^valuetier:/m);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).toEqual({
      action: "created",
      user: {
        id: expect.any(Number),
        email: "ops@example.test",
        name: "Administrator",
        role: "ADMIN",
        disabled: false,
      },
    });
    // The trailing newline from stdin is not part of the password.
    expect(await loginCode("ops@example.test", "ops-password-1")).toBe("OK");
    const [audit] = await db.dataSource.query(
      "SELECT actor_type, actor_label, after_json FROM audit_log WHERE action = 'user.create' AND entity_id = ?",
      [String(printed.user.id)],
    );
    expect(audit).toMatchObject({ actor_type: "system", actor_label: "cli" });
    expect(audit.after_json).not.toMatch(/ops-password/);
  });

  it("gives an operator back an admin when every admin was disabled or demoted", async () => {
    const made = await users.create(
      { email: "lost@example.test", password: "lost-password-1", role: "ADMIN" },
      systemActor("test"),
    );
    if (Array.isArray(made)) throw new Error(JSON.stringify(made));
    await db.dataSource.query(
      "UPDATE users SET role = 'ANALYST', disabled_at = NOW(3) WHERE role = 'ADMIN'",
    );
    for (let i = 0; i < 7; i++) await loginCode("lost@example.test", "forgotten");
    expect(await loginCode("lost@example.test", "lost-password-1")).toBe("TOO_MANY_ATTEMPTS");

    const result = await run([
      "admin",
      "enable",
      "--email",
      "lost@example.test",
      "--database-url",
      db.url,
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`enabled admin lost@example.test (user ${made.id})\n`);
    expect(await user("lost@example.test")).toMatchObject({ role: "ADMIN", disabled_at: null });
    // Its failed logins are forgotten too, so the operator can log in at once.
    expect(await loginCode("lost@example.test", "lost-password-1")).toBe("OK");
    const [audit] = await db.dataSource.query(
      "SELECT actor_label, before_json, after_json FROM audit_log WHERE action = 'user.restore_admin'",
    );
    expect(audit.actor_label).toBe("cli");
    expect(JSON.parse(audit.before_json)).toMatchObject({ role: "ANALYST", disabled: true });
    expect(JSON.parse(audit.after_json)).toMatchObject({ role: "ADMIN", disabled: false });
  });

  it("fails with one line on stderr for bad input", async () => {
    const cases: [string[], string | undefined, RegExp][] = [
      [
        ["admin", "enable", "--email", "nobody@example.test"],
        undefined,
        /no user with email "nobody@example.test"; create one with "valuetier admin create"/,
      ],
      [
        ["admin", "create", "--email", "ops@example.test", "--password", "another-pass-1"],
        undefined,
        /a user with email ops@example.test already exists/,
      ],
      [
        ["admin", "create", "--email", "new@example.test"],
        undefined,
        /a password is required: --password-stdin \(preferred\) or --password P/,
      ],
      [
        ["admin", "create", "--email", "new@example.test", "--password", "x", "--password-stdin"],
        "y",
        /not both/,
      ],
      [
        ["admin", "create", "--email", "new@example.test", "--password-stdin"],
        "\n",
        /--password-stdin read an empty password/,
      ],
      [
        ["admin", "create", "--email", "new@example.test", "--password", "short"],
        undefined,
        /password must have at least 8 characters/,
      ],
      [
        ["admin", "create", "--email", "not-an-email", "--password", "long-enough-1"],
        undefined,
        /"not-an-email" is not an email address/,
      ],
    ];
    for (const [args, stdin, message] of cases) {
      const result = await run([...args, "--database-url", db.url], stdin);
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^valuetier: .*\n$/);
      expect(result.stderr).toMatch(message);
    }
    expect(await user("new@example.test")).toBeUndefined();
  });

  it("documents both commands in --help", async () => {
    const help = await run(["admin", "create", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--password-stdin/);
    expect(help.stdout).toMatch(/process list/);
    const enable = await run(["admin", "enable", "--help"]);
    expect(enable.stdout).toMatch(
      /re-enable the user with this email and give them the ADMIN role/,
    );
  });
});
