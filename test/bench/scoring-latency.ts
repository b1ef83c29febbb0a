/**
 * Read latency during a scoring run (`npm run bench:scoring-latency`): seeds 100,000 customers
 * and their ~1,000,000 orders into a fresh MySQL database (as bench:score does), starts the real
 * API (the built dist, `node apps/api/dist/main.js`, in its own process), creates a storefront
 * API key with `customers:read`, then has 20 concurrent clients read `customer(externalId:)`
 * for BENCH_SECONDS (default 10) outside a run, and again during a scoring run started over
 * GraphQL (`runScoring`), until the run ends. Prints p50/p95/max of both and the run's
 * duration. Targets during the run: p95 ≤ 100 ms and no read over 250 ms. The last stdout line
 * is one JSON object.
 *
 * Environment: BENCH_CUSTOMERS (default 100000), BENCH_SEED (default 1), BENCH_CLIENTS
 * (default 20), BENCH_SECONDS (default 10), TEST_DATABASE_URL (default mysql://root@127.0.0.1:3306),
 * BENCH_KEEP=1 keeps the database and files, BENCH_DATABASE_URL=mysql://… reuses an already
 * seeded database (kept by an earlier BENCH_KEEP=1 run) instead of seeding one.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestDatabase } from "@valuetier/api/testing";
import { GraphqlClient, startApi, type ApiProcess } from "./api-process";

import { cleanUp, log, round, runBench } from "./measure";
import { seedBenchDatabase } from "./seed";

const customers = Number(process.env.BENCH_CUSTOMERS || 100_000);
const seed = Number(process.env.BENCH_SEED || 1);
const clients = Number(process.env.BENCH_CLIENTS || 20);
const quietSeconds = Number(process.env.BENCH_SECONDS || 10);
const keep = process.env.BENCH_KEEP === "1";
const reuseUrl = process.env.BENCH_DATABASE_URL;

async function seedDatabase(dir: string): Promise<{ db: TestDatabase; orders: number }> {
  const seeded = await seedBenchDatabase("vt_bench_latency", { customers, seed, dir, log });
  return { db: seeded.db, orders: seeded.orders };
}

interface Latencies {
  reads: number;
  p50: number;
  p95: number;
  max: number;
}

function summarise(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    reads: sorted.length,
    p50: round(at(0.5), 1),
    p95: round(at(0.95), 1),
    max: round(sorted.at(-1) ?? 0, 1),
  };
}

const READ = `query($id: String!) { customer(externalId: $id) {
  id externalId name orderCount totalSpent { amount currency }
  value { clv { amount currency } pAlive runId }
} }`;

/**
 * `clients` readers of random customers until `until()` says stop; returns every latency in ms,
 * and each one by what `phase()` said when the read started (the run's phase).
 */
async function readLoad(
  gql: GraphqlClient["request"],
  key: string,
  externalIds: string[],
  until: () => boolean,
  phase: () => string = () => "",
  byPhase: Map<string, number[]> = new Map(),
): Promise<number[]> {
  const samples: number[] = [];
  const reader = async () => {
    while (!until()) {
      const id = externalIds[Math.floor(Math.random() * externalIds.length)]!;
      const started = performance.now();
      const during = phase();
      const data = await gql<{ customer: { externalId: string } | null }>(READ, { id }, key);
      const ms = performance.now() - started;
      samples.push(ms);
      if (!byPhase.has(during)) byPhase.set(during, []);
      byPhase.get(during)!.push(ms);
      if (data.customer?.externalId !== id) throw new Error(`customer ${id} came back wrong`);
    }
  };
  await Promise.all(Array.from({ length: clients }, reader));
  return samples;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-bench-latency-"));
  let db: TestDatabase | undefined;
  let api: ApiProcess | undefined;
  let client: GraphqlClient | undefined;
  try {
    let databaseUrl: string;
    let orders: number | null = null;
    if (reuseUrl) {
      databaseUrl = reuseUrl;
      log(`reusing ${reuseUrl}`);
    } else {
      const seeded = await seedDatabase(dir);
      db = seeded.db;
      orders = seeded.orders;
      databaseUrl = db.url;
      // The API process runs the scoring; this process only reads over HTTP.
      await db.dataSource.destroy();
    }
    // A fixed login, so that a database kept by BENCH_KEEP=1 can be reused.
    const admin = { email: "bench@example.test", password: "bench-latency-admin" };
    api = startApi(databaseUrl, admin);
    client = new GraphqlClient(`${await api.url}/graphql`, clients + 4);
    const gql = client.request.bind(client);
    const { login } = await gql<{ login: { token: string } }>(
      "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
      { e: admin.email, p: admin.password },
    );
    const token = login.token;
    if (!token) throw new Error(`could not log in as ${admin.email}`);
    const { createApiKey } = await gql<{ createApiKey: { secret: string } }>(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { name: `bench ${Date.now()}`, scopes: ["customers:read"] } },
      token,
    );
    const key = createApiKey.secret;
    const externalIds: string[] = [];
    let after: string | null = null;
    do {
      const page: {
        customers: {
          edges: { node: { externalId: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      } = await gql(
        `query($after: String) { customers(first: 250, after: $after) {
          edges { node { externalId } } pageInfo { hasNextPage endCursor } } }`,
        { after },
        token,
      );
      externalIds.push(...page.customers.edges.map((e) => e.node.externalId));
      after = page.customers.pageInfo.hasNextPage ? page.customers.pageInfo.endCursor : null;
    } while (after && externalIds.length < 5000);
    log(
      `${clients} storefront clients reading customer(externalId:) over ${externalIds.length} ids`,
    );

    // Warm-up (connection pool, JIT), then the quiet baseline.
    const warm = Date.now() + 2000;
    await readLoad(gql, key, externalIds, () => Date.now() > warm);
    const quietEnd = Date.now() + quietSeconds * 1000;
    const outside = summarise(await readLoad(gql, key, externalIds, () => Date.now() > quietEnd));
    log(`outside a run: ${JSON.stringify(outside)}`);

    const runStarted = performance.now();
    const { runScoring } = await gql<{ runScoring: { id: string } }>(
      "mutation { runScoring { id } }",
      {},
      token,
    );
    let finished: { status: string; customersScored: number; error: string | null } | null = null;
    let progressSeen = 0;
    let phase = "queued";
    const byPhase = new Map<string, number[]>();
    const watch = (async () => {
      for (;;) {
        const { scoringRun } = await gql<{
          scoringRun: {
            status: string;
            phase: string;
            progress: number;
            customersScored: number;
            error: string | null;
          };
        }>(
          "query($id: ID!) { scoringRun(id: $id) { status phase progress customersScored error } }",
          { id: runScoring.id },
          token,
        );
        if (scoringRun.progress > 0 && scoringRun.progress < 1) progressSeen++;
        phase = scoringRun.phase;
        if (!["queued", "running"].includes(scoringRun.status.toLowerCase())) {
          finished = scoringRun;
          return performance.now() - runStarted;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    let runMs: number | null = null;
    void watch.then((ms) => (runMs = ms));
    const during = summarise(
      await readLoad(
        gql,
        key,
        externalIds,
        () => runMs !== null,
        () => phase,
        byPhase,
      ),
    );
    await watch;
    const run = finished as unknown as {
      status: string;
      customersScored: number;
      error: string | null;
    };
    if (run.status.toLowerCase() !== "succeeded") {
      throw new Error(`the scoring run ended ${run.status}: ${run.error}`);
    }
    const seconds = round(runMs! / 1000, 2);
    const phases = Object.fromEntries([...byPhase].map(([name, ms]) => [name, summarise(ms)]));
    for (const [name, figures] of Object.entries(phases))
      log(`  while ${name}: ${JSON.stringify(figures)}`);
    const { jobs } = await gql<{ jobs: { edges: { node: { result: string | null } }[] } }>(
      '{ jobs(kind: "scoring", first: 1) { edges { node { result } } } }',
      {},
      token,
    );
    const eventLoopDelay = (
      JSON.parse(jobs.edges[0]?.node.result ?? "{}") as { eventLoopDelay?: unknown }
    ).eventLoopDelay;
    log(`the API's event loop delay during the run (ms): ${JSON.stringify(eventLoopDelay)}`);
    log(
      `during the run (${seconds} s, ${run.customersScored} customers, progress seen moving ` +
        `${progressSeen} times): ${JSON.stringify(during)} (targets: p95 ≤ 100 ms, max ≤ 250 ms)`,
    );
    log(
      JSON.stringify({
        bench: "scoring-latency",
        customers: run.customersScored,
        orders,
        clients,
        runSeconds: seconds,
        outside,
        during,
        phases,
        eventLoopDelay,
        ok: during.p95 <= 100 && during.max <= 250,
      }),
    );
  } finally {
    client?.close();
    await api?.stop();
    await cleanUp(db, dir, keep);
  }
}

runBench("bench:scoring-latency", main);
