import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../modules/audit/audit.service";
import { UserService } from "../modules/users/user.service";
import { startTestApi, type GraphQLResponse, type TestApi } from "../testing/test-server";

const LOGIN =
  "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token userErrors { code } } }";
const DEMOTE =
  "mutation($id: ID!) { updateUser(input: { id: $id, role: MARKETER }) { user { id } userErrors { field code message } } }";
const DISABLE =
  "mutation($id: ID!) { updateUser(input: { id: $id, disabled: true }) { user { id } userErrors { field code message } } }";

type UpdateResponse = GraphQLResponse<{
  updateUser: {
    user: { id: string } | null;
    userErrors: { field: string; code: string; message: string }[];
  };
}>;

const RUNS = 16;

describe("the last active admin", () => {
  let api: TestApi;
  const password = "admin-password-1";
  const admins: { id: string; email: string }[] = [];

  const activeAdmins = async (): Promise<number> =>
    Number(
      (
        await api.db.dataSource.query(
          "SELECT COUNT(*) AS n FROM users WHERE role = 'ADMIN' AND disabled_at IS NULL",
        )
      )[0].n,
    );

  beforeAll(async () => {
    api = await startTestApi();
    const users = new UserService(api.db.dataSource);
    for (const email of ["x@example.test", "y@example.test"]) {
      const user = await users.create({ email, password, role: "ADMIN" }, systemActor("test"));
      if (Array.isArray(user)) throw new Error(JSON.stringify(user));
      admins.push({ id: String(user.id), email });
    }
    // Only x and y are active admins, so whichever of them acts second would leave none.
    await api.db.dataSource.query("UPDATE users SET disabled_at = NOW(3) WHERE email = ?", [
      api.admin.email,
    ]);
  });
  afterAll(async () => api?.close());

  it(`keeps one when two admins demote or disable each other at once (${RUNS} runs)`, async () => {
    const outcomes: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      await api.db.dataSource.query(
        "UPDATE users SET role = 'ADMIN', disabled_at = NULL WHERE id IN (?, ?)",
        [admins[0]!.id, admins[1]!.id],
      );
      const tokens: string[] = [];
      for (const admin of admins) {
        const res = await api.gql<{ login: { token: string } }>(LOGIN, {
          e: admin.email,
          p: password,
        });
        tokens.push(res.data!.login.token);
      }
      // Demote/demote, disable/disable and the two mixed orders in turn.
      const ops = [run % 2 ? DISABLE : DEMOTE, run % 4 < 2 ? DEMOTE : DISABLE];
      const [a, b] = await Promise.all([
        api.gql(ops[0]!, { id: admins[1]!.id }, tokens[0]) as Promise<UpdateResponse>,
        api.gql(ops[1]!, { id: admins[0]!.id }, tokens[1]) as Promise<UpdateResponse>,
      ]);
      expect(await activeAdmins()).toBe(1);
      const results = [a, b].map((res) => {
        if (res.data?.updateUser?.user) return "changed";
        const userError = res.data?.updateUser?.userErrors[0];
        if (userError) {
          expect(userError.code).toBe("LAST_ADMIN");
          expect(userError.message).toBe("this is the last active admin: make another admin first");
          return "LAST_ADMIN";
        }
        // The other request committed before this one was authenticated: its caller is no
        // longer an active admin and is refused before it gets to change anything.
        expect(["UNAUTHENTICATED", "FORBIDDEN"]).toContain(res.errors?.[0]?.extensions?.code);
        return "refused";
      });
      expect(results.filter((r) => r === "changed")).toHaveLength(1);
      outcomes.push(results.sort().join("+"));
    }
    // Most runs really race: both requests get past authentication.
    expect(outcomes.filter((o) => o.includes("LAST_ADMIN")).length).toBeGreaterThan(0);
  });

  it("refuses to disable the last admin with a user error on the disabled field", async () => {
    await api.db.dataSource.query(
      "UPDATE users SET role = 'ADMIN', disabled_at = NULL WHERE id = ?",
      [admins[0]!.id],
    );
    await api.db.dataSource.query("UPDATE users SET disabled_at = NOW(3) WHERE id = ?", [
      admins[1]!.id,
    ]);
    const res = await api.gql<{ login: { token: string } }>(LOGIN, {
      e: admins[0]!.email,
      p: password,
    });
    const self = (await api.gql(
      DISABLE,
      { id: admins[0]!.id },
      res.data!.login.token,
    )) as UpdateResponse;
    expect(self.data?.updateUser.userErrors).toEqual([
      {
        field: "input.disabled",
        code: "LAST_ADMIN",
        message: "this is the last active admin: make another admin first",
      },
    ]);
    expect(await activeAdmins()).toBe(1);
  });
});
