import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@valuetier/api/testing";
import { formatMoney } from "@valuetier/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../main";

async function run(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(["node", "valuetier", ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

interface CurrentRow {
  run_id: number;
  n: number;
  clv: string | number;
}

describe("valuetier score", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-cli-score-"));
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase("vt_cli_score");
    expect((await run("generate", "--customers", "300", "--seed", "11", "--out", dir)).code).toBe(
      0,
    );
    const imported = await run(
      "import",
      "--customers",
      path.join(dir, "customers.csv"),
      "--orders",
      path.join(dir, "orders.csv"),
      "--database-url",
      db.url,
      "--json",
    );
    expect(imported.code).toBe(0);
  });

  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const current = async (): Promise<CurrentRow> =>
    (
      await db.dataSource.query(
        `SELECT v.run_id, COUNT(*) AS n, SUM(v.clv_minor) AS clv FROM customer_values v
         WHERE v.run_id = (SELECT MAX(id) FROM scoring_runs WHERE status = 'succeeded')
         GROUP BY v.run_id`,
      )
    )[0];

  it("scores the database and prints one JSON summary, with progress on stderr", async () => {
    const result = await run("score", "--database-url", db.url, "--json");
    expect(result.stderr).not.toMatch(/^valuetier:/m);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(Object.keys(summary)).toEqual(["run", "settings", "totals", "model", "warnings"]);
    expect(summary.run).toMatchObject({ status: "succeeded", customersScored: 300 });
    expect(summary.run.seconds).toBeGreaterThan(0);
    expect(summary.settings).toMatchObject({ model: "bgnbd", horizonMonths: 12, timeUnit: "week" });
    const row = await current();
    expect(row.run_id).toBe(summary.run.id);
    expect(Number(row.n)).toBe(300);
    expect(summary.totals).toMatchObject({
      currency: "USD",
      customers: 300,
      clv: formatMoney(Number(row.clv), "USD"),
    });
    for (const key of ["r", "alpha", "a", "b"]) expect(summary.model.bgnbd[key]).toBeGreaterThan(0);
    expect(summary.model.holdout.actual).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/scoring run \d+: aggregating/);
    expect(result.stderr).toMatch(/scoring run \d+: scoring \d+% \(\d+ of 300 customers\)/);
  });

  it("refuses to start while another run is under way, in one line", async () => {
    await db.dataSource.query(
      `INSERT INTO scoring_runs (status, active_lock, progress, phase, customers_scored, runner, heartbeat_at, created_at, settings_json, triggered_by)
       VALUES ('running', 1, 0.3, 'aggregating', 0, ?, NOW(3), NOW(3), '{}', 'the API')`,
      [`${hostname()} ${process.pid}`],
    );
    const result = await run("score", "--database-url", db.url);
    await db.dataSource.query(
      "UPDATE scoring_runs SET status = 'failed', active_lock = NULL WHERE triggered_by = 'the API'",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^valuetier: scoring run \d+ is already running \(started by the API\)/,
    );
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(/^valuetier: /);
    expect(result.stdout).toBe("");
  });

  it("refuses while another process holds the scoring job lock", async () => {
    // What an API process running a scoring job shows in the database: the job and its lock,
    // heartbeat fresh.
    const result = await db.dataSource.query(
      `INSERT INTO jobs (kind, status, progress, requested_by, cancel_requested, attempt, owner, heartbeat_at, created_at)
       VALUES ('scoring', 'running', 0.2, 'api@example.test', 0, 1, 'api-host 1 abc', NOW(3), NOW(3))`,
    );
    const jobId = Number(result.insertId);
    await db.dataSource.query(
      `INSERT INTO job_locks (kind, job_id, owner, heartbeat_at) VALUES ('scoring', ?, 'api-host 1 abc', NOW(3))
       ON DUPLICATE KEY UPDATE job_id = VALUES(job_id), owner = VALUES(owner), heartbeat_at = VALUES(heartbeat_at)`,
      [jobId],
    );
    const refused = await run("score", "--database-url", db.url);
    await db.dataSource.query(
      "UPDATE job_locks SET job_id = NULL, owner = '' WHERE kind = 'scoring'",
    );
    await db.dataSource.query("UPDATE jobs SET status = 'failed' WHERE id = ?", [jobId]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n").at(-1)).toBe(
      `valuetier: scoring job ${jobId} is already running (requested by api@example.test); wait for it to finish`,
    );
    expect(refused.stdout).toBe("");
  });

  it("refuses a database URL that is not MySQL", async () => {
    const result = await run("score", "--database-url", "postgres://x/y");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'valuetier: --database-url must start with mysql:// (got "postgres:")\n',
    );
  });

  it("survives a process killed half way: the previous snapshot stays current and the next run completes", async () => {
    const before = await current();
    // A separate process runs the same job slowly (small chunks, a pause after each) and is
    // killed with SIGKILL once it is writing values: no chance to clean up.
    const script = `
      const { openDatabase, loadConfig, ScoringRunService, systemActor } = require("@valuetier/api/app");
      (async () => {
        const config = loadConfig({ ...process.env, DATABASE_URL: process.argv[1] });
        const ds = await openDatabase(config);
        const service = new ScoringRunService(ds, { currency: "USD", defaultMarginRate: "0.3", chunkSize: 20 });
        await service.runNow(systemActor("doomed"), {
          onProgress: async (p) => {
            process.stdout.write(p.phase + " " + p.customersScored + "\\n");
            await new Promise((r) => setTimeout(r, 150));
          },
        });
      })();`;
    const child = spawn(process.execPath, ["-e", script, db.url], {
      cwd: path.resolve(__dirname, "../.."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      let seen = "";
      child.stdout.on("data", (chunk: Buffer) => {
        seen += chunk.toString();
        if (/scoring (4|6|8)0\n/.test(seen)) {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("exit", () => reject(new Error(`the child ended before it was killed: ${seen}`)));
    });
    await new Promise((resolve) => child.once("close", resolve));
    const [killed] = await db.dataSource.query(
      "SELECT id, status, active_lock FROM scoring_runs WHERE triggered_by = 'doomed'",
    );
    expect(killed).toMatchObject({ status: "running", active_lock: 1 });
    const [written] = await db.dataSource.query(
      "SELECT COUNT(*) AS n FROM customer_values WHERE run_id = ?",
      [killed.id],
    );
    expect(Number(written.n)).toBeGreaterThan(0);
    expect(Number(written.n)).toBeLessThan(300);
    expect(await current()).toEqual(before);

    const again = await run("score", "--database-url", db.url, "--json");
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.run.status).toBe("succeeded");
    const after = await current();
    expect(after.run_id).toBe(summary.run.id);
    expect(Number(after.n)).toBe(300);
    const [dead] = await db.dataSource.query(
      "SELECT status, active_lock, error FROM scoring_runs WHERE id = ?",
      [killed.id],
    );
    expect(dead).toMatchObject({ status: "failed", active_lock: null });
    expect(dead.error).toMatch(/abandoned/);
    const [pruned] = await db.dataSource.query(
      "SELECT COUNT(*) AS n FROM customer_values WHERE run_id = ?",
      [killed.id],
    );
    expect(Number(pruned.n)).toBe(0);
  });
});
