/**
 * Campaign benchmark (`npm run bench:campaign`): 100,000 customers made the way bench:score
 * makes them (`valuetier generate`, `valuetier import` into a fresh MySQL database, one scoring
 * run so that every customer has a predicted CLV), then:
 *
 * - launchMs: `launchCampaign` of a campaign over every customer (CampaignService.transition, as
 *   the GraphQL mutation calls it): the audience frozen by one INSERT … SELECT with each
 *   member's CLV and pre-period spend, the groups by the stable hash, and one unique coupon
 *   code per treated member (the offer has a coupon), in one transaction;
 * - resultsMs: `Campaign.results` (CampaignService.results) after orders from 30% of the
 *   members were written into the measurement window: per-customer outcomes in one SQL
 *   aggregate, then Welch, CUPED, the confidence sequence, cost and return on spend.
 *
 * Targets: ≤ 5 s each. Each is run once (a launch can only happen once per campaign).
 * Progress goes to stderr; the last stdout line is one JSON object with the figures.
 * Environment: BENCH_CUSTOMERS (default 100000), BENCH_SEED (default 1), TEST_DATABASE_URL
 * (default mysql://root@127.0.0.1:3306), BENCH_KEEP=1 keeps the database and files, BENCH_COUPON=0
 * launches without the coupon (to see what issuing 90,000 codes adds).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServices, loadConfig, ScoringRunService, systemActor } from "@valuetier/api/app";
import type { TestDatabase } from "@valuetier/api/testing";
import { createRng } from "@valuetier/domain";
import { cleanUp, round, runBench } from "./measure";
import { seedBenchDatabase } from "./seed";

const customers = Number(process.env.BENCH_CUSTOMERS || 100_000);
const seed = Number(process.env.BENCH_SEED || 1);
const keep = process.env.BENCH_KEEP === "1";
const withCoupon = process.env.BENCH_COUPON !== "0";
const TARGET_MS = 5000;

const progress = (text: string) => process.stderr.write(`${text}\n`);
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const sqlTime = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-bench-campaign-"));
  let db: TestDatabase | undefined;
  try {
    const seeded = await seedBenchDatabase("vt_bench_campaign", {
      customers,
      seed,
      dir,
      log: progress,
    });
    db = seeded.db;
    const ds = db.dataSource;
    progress("scoring run (predicted CLV for the covariate snapshot)");
    const run = await new ScoringRunService(ds, {
      currency: "USD",
      defaultMarginRate: "0.3",
    }).runNow(systemActor("bench"));
    if (run.status !== "succeeded") throw new Error(`the scoring run ended ${run.status}`);

    const config = loadConfig({
      DATABASE_URL: db.url,
      JWT_SECRET: randomBytes(32).toString("hex"),
      DATA_DIR: dir,
      DEFAULT_CURRENCY: "USD",
    });
    const services = createServices(ds, config);
    const actor = systemActor("bench");
    const created = await services.campaigns.create(
      {
        name: withCoupon
          ? "Bench: double points and a coupon for everyone"
          : "Bench: double points",
        audience: {},
        offer: {
          pointsMultiplier: "2",
          ...(withCoupon ? { coupon: { code: "BENCH", amount: "5.00" } } : {}),
        },
      },
      actor,
    );
    if (Array.isArray(created)) throw new Error(JSON.stringify(created));

    progress(`launching over ${customers.toLocaleString("en")} customers`);
    let start = process.hrtime.bigint();
    const launched = await services.campaigns.transition(created.id, "launch", actor);
    const launchMs = ms(start);
    if (Array.isArray(launched)) throw new Error(JSON.stringify(launched));
    const members = await services.campaigns.memberCounts(created.id);
    const [issued] = (await ds.query(
      "SELECT COUNT(*) AS n FROM campaign_coupons WHERE campaign_id = ?",
      [created.id],
    )) as { n: number | string }[];
    const coupons = Number(issued?.n ?? 0);
    if (coupons !== (withCoupon ? members.treatment : 0)) {
      throw new Error(`${coupons} coupons issued for ${members.treatment} treated members`);
    }
    progress(
      `launched in ${Math.round(launchMs)} ms: ${members.treatment} treatment, ${members.control} control, ${coupons} coupons`,
    );

    // Orders in the measurement window from 30% of the members (treated ones a little more often).
    const rng = createRng(seed);
    const ids = (
      (await ds.query("SELECT customer_id AS id, grp FROM campaign_members WHERE campaign_id = ?", [
        created.id,
      ])) as { id: number | string; grp: string }[]
    ).map((r) => ({ id: Number(r.id), treated: r.grp === "T" }));
    const launchedAt = launched.launchedAt!;
    const rows: (string | number)[][] = [];
    for (const m of ids) {
      if (rng.next() >= (m.treated ? 0.31 : 0.29)) continue;
      const amount = Math.round(2000 + rng.next() * 8000 + (m.treated ? 300 : 0));
      rows.push([
        `bench-campaign-${m.id}`,
        m.id,
        sqlTime(new Date(launchedAt.getTime() + 1)),
        amount,
      ]);
    }
    for (let i = 0; i < rows.length; i += 5000) {
      const part = rows.slice(i, i + 5000);
      await ds.query(
        "INSERT INTO orders (external_id, customer_id, placed_at, amount_minor, margin_minor, currency, status) VALUES " +
          part.map(() => "(?, ?, ?, ?, NULL, 'USD', 'completed')").join(","),
        part.flat(),
      );
    }
    progress(`wrote ${rows.length.toLocaleString("en")} orders in the window`);

    start = process.hrtime.bigint();
    const results = await services.campaigns.results(launched);
    const resultsMs = ms(start);
    if (!results) throw new Error("no results");
    const revenue = results.revenuePerCustomer;
    progress(
      `results in ${Math.round(resultsMs)} ms: revenue per customer ${revenue?.effect.estimate.toFixed(1)} minor ` +
        `(CUPED variance reduction ${revenue?.adjusted?.varianceReduction?.toFixed(3) ?? "n/a"}), conclusive ${results.conclusive}`,
    );
    console.log(
      JSON.stringify({
        bench: "campaign",
        customers: seeded.customers,
        treatment: members.treatment,
        control: members.control,
        coupons,
        launchMs: round(launchMs),
        resultsMs: round(resultsMs),
        targetMs: TARGET_MS,
        withinTarget: launchMs <= TARGET_MS && resultsMs <= TARGET_MS,
      }),
    );
  } finally {
    await cleanUp(db, dir, keep);
  }
}

runBench("bench:campaign", main);
