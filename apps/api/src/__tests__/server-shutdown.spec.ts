import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "../testing/test-database";
import { compileApi, type CompiledApi } from "./compiled-api";

// The production server as a real process over a fresh MySQL database: it must exit on
// SIGTERM/SIGINT (it used to close its port and stay up holding a connection), and `npm start`
// must pass the signal on to it.

let api: CompiledApi;
let server: mysql.Connection;
const databases: string[] = [];

beforeAll(async () => {
  api = await compileApi();
  server = await mysql.createConnection(testServerUrl());
});

afterAll(async () => {
  for (const name of databases) await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await server?.end();
  api?.remove();
});

async function freshDatabase(): Promise<{ name: string; url: string }> {
  const name = `vt_shutdown_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await server.query(
    `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  databases.push(name);
  return { name, url: `${testServerUrl()}/${name}` };
}

/** Connections any client holds to the database, from the server's own process list. */
async function connectionsTo(name: string): Promise<number> {
  const [rows] = await server.query(
    "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = ?",
    [name],
  );
  return Number((rows as { n: number | string }[])[0]!.n);
}

function serverEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    HOST: "127.0.0.1",
    PORT: "0",
    JWT_SECRET: randomBytes(32).toString("hex"),
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "vt-shutdown-")),
    ADMIN_DIST_DIR: path.join(tmpdir(), "vt-no-admin"),
  };
}

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the command and waits until the server it runs answers /healthz. */
async function start(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + 60_000;
  let port = 0;
  while (!port) {
    if (child.exitCode !== null) throw new Error(`the server exited at start-up:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    port = Number(/is running at http:\/\/localhost:(\d+)/.exec(output)?.[1] ?? 0);
    if (!port) await new Promise((r) => setTimeout(r, 100));
  }
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(await health.json()).toEqual({ status: "ok" });
  return { child, port, output: () => output, exited } satisfies Started;
}

/** Sends the signal and resolves to how the process ended and how long it took. */
async function stop(started: Started, signal: NodeJS.Signals) {
  const sent = Date.now();
  started.child.kill(signal);
  const timeout = new Promise<"still running">((r) => setTimeout(() => r("still running"), 15_000));
  const result = await Promise.race([started.exited, timeout]);
  if (result === "still running") started.child.kill("SIGKILL");
  return { result, ms: Date.now() - sent };
}

async function portIsClosed(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => false,
    () => true,
  );
}

describe("the production server process", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`exits 0 within seconds of ${signal} and leaves no database connection`, async () => {
      const db = await freshDatabase();
      const started = await start(
        process.execPath,
        [path.join(api.dir, "main.js")],
        api.dir,
        serverEnv(db.url),
      );
      expect(await connectionsTo(db.name)).toBeGreaterThan(0);

      const { result, ms } = await stop(started, signal);

      expect(result, started.output()).toEqual({ code: 0, signal: null });
      expect(ms).toBeLessThan(5_000);
      expect(started.output()).toContain(`${signal}: shutting down`);
      expect(await portIsClosed(started.port)).toBe(true);
      expect(await connectionsTo(db.name)).toBe(0);
    });
  }

  it("exits 1 at once on a second signal while a request holds up the drain", async () => {
    const db = await freshDatabase();
    const started = await start(
      process.execPath,
      [path.join(api.dir, "main.js")],
      api.dir,
      serverEnv(db.url),
    );
    // A request whose body never finishes: the drain would wait its whole grace period.
    const socket = connect(started.port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.on("error", () => undefined);
    socket.write(
      "POST /graphql HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\n" +
        'content-length: 1000\r\n\r\n{"query":',
    );
    await new Promise((r) => setTimeout(r, 200));
    started.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    expect(started.child.exitCode, "still draining after the first signal").toBeNull();

    const { result, ms } = await stop(started, "SIGTERM");

    socket.destroy();
    expect(result, started.output()).toEqual({ code: 1, signal: null });
    expect(ms).toBeLessThan(1_000);
    expect(started.output()).toContain("SIGTERM again: exiting without waiting");
  });

  it("stops through `npm start` too: npm passes SIGTERM on to the server", async () => {
    // The root start script as it is, pointed at the build made for this test.
    const rootPackage = JSON.parse(
      readFileSync(path.resolve(__dirname, "../../../../package.json"), "utf8"),
    ) as { scripts: Record<string, string> };
    const script = rootPackage.scripts.start!;
    expect(script).toContain("apps/api/dist/main.js");
    const project = mkdtempSync(path.join(tmpdir(), "vt-npm-start-"));
    writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({
        name: "vt-npm-start-check",
        private: true,
        scripts: { start: script.replace("apps/api/dist/", `${api.dir}/`) },
      }),
    );
    const db = await freshDatabase();
    const started = await start("npm", ["start"], project, serverEnv(db.url));

    const { result, ms } = await stop(started, "SIGTERM");

    expect(result, started.output()).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(5_000);
    expect(started.output()).toContain("SIGTERM: shutting down");
    expect(await portIsClosed(started.port)).toBe(true);
    expect(await connectionsTo(db.name)).toBe(0);
  });
});
