/**
 * The real API in a process of its own, for benchmarks that measure it over HTTP
 * (bench:loyalty, bench:scoring-latency), and a lean GraphQL client for them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import path from "node:path";
import { createInterface } from "node:readline";
import { findRepoRoot } from "@valuetier/api/app";

export interface ApiProcess {
  child: ChildProcess;
  /** The API's base URL, once it listens. */
  url: Promise<string>;
  /** Sends SIGTERM and waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `node apps/api/dist/main.js` (the built API, as in production) on a free port.
 * BENCH_API_NODE_ARGS adds node options, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
 */
export function startApi(
  databaseUrl: string,
  admin: { email: string; password: string },
): ApiProcess {
  const main = path.join(findRepoRoot(), "apps/api/dist/main.js");
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, main], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      JWT_SECRET: randomBytes(32).toString("hex"),
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      // Benchmarks measure throughput and latency, not the per-key request budget.
      GRAPHQL_KEY_BUDGET: "0",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const match = /running at (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the API exited with code ${code}`)));
  });
  return {
    child,
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * POSTs GraphQL over keep-alive connections (at most `sockets` at once; more requests queue
 * for a free one). Leaner than fetch: the load generator shares the machine with the API and
 * the database, so what it spends per request is taken from them.
 */
export class GraphqlClient {
  private readonly agent: Agent;
  private readonly target: URL;

  constructor(endpoint: string, sockets = 64) {
    this.target = new URL(endpoint);
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** The answer's `data`; throws on an HTTP error or any GraphQL error. */
  async request<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
    const payload = Buffer.from(JSON.stringify({ query, variables }));
    const { status, text } = await new Promise<{ status: number; text: string }>(
      (resolve, reject) => {
        const req = request(
          {
            agent: this.agent,
            host: this.target.hostname,
            port: this.target.port,
            path: this.target.pathname,
            method: "POST",
            headers: {
              "content-type": "application/json",
              "content-length": payload.length,
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
          },
          (res) => {
            const parts: Buffer[] = [];
            res.on("data", (part: Buffer) => parts.push(part));
            res.on("end", () =>
              resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString("utf8") }),
            );
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end(payload);
      },
    );
    let body: { data?: T; errors?: { message: string }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(`${query.slice(0, 60)}…: HTTP ${status}, not JSON: ${text.slice(0, 200)}`);
    }
    if (status !== 200 || body.errors?.length || !body.data) {
      throw new Error(`${query.slice(0, 60)}…: HTTP ${status} ${JSON.stringify(body.errors)}`);
    }
    return body.data;
  }

  close(): void {
    this.agent.destroy();
  }
}
