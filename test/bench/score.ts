/**
 * Scoring benchmark (`npm run bench:score`): generates 100,000 customers and their ~1,000,000
 * orders with the domain generator (`valuetier generate`), imports them into a fresh MySQL
 * database (`valuetier import`, in a child process so that its memory is not counted), then
 * times one scoring run in this process: SQL aggregates in chunks, BG/NBD + Gamma-Gamma fits
 * on the whole base, the holdout check, scoring and writing every customer's value. The target
 * is at most 30 s. The last stdout line is one JSON object with the figures.
 *
 * Environment: BENCH_CUSTOMERS (default 100000), BENCH_SEED (default 1), TEST_DATABASE_URL
 * (default mysql://root@127.0.0.1:3306), BENCH_KEEP=1 keeps the database and files.
 * BENCH_WEBHOOKS=1 first makes a webhook endpoint subscribed to tier.changed, so that the run
 * also writes one event per customer (the first run places everyone: the worst case), and then
 * times fanning those events out to their deliveries.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  emitTierChanges,
  ScoringRunService,
  systemActor,
  WebhookDeliverer,
  WebhookService,
  type FittedModelRecord,
} from "@valuetier/api/app";
import type { TestDatabase } from "@valuetier/api/testing";

import { cleanUp, log, mb, round, runBench, watchMemory } from "./measure";
import { seedBenchDatabase } from "./seed";
const customers = Number(process.env.BENCH_CUSTOMERS || 100_000);
const seed = Number(process.env.BENCH_SEED || 1);
const keep = process.env.BENCH_KEEP === "1";
const webhooks = process.env.BENCH_WEBHOOKS === "1";

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-bench-score-"));
  let db: TestDatabase | undefined;
  try {
    const seeded = await seedBenchDatabase("vt_bench_score", { customers, seed, dir, log });
    db = seeded.db;
    const generated = { customers: seeded.customers, orders: seeded.orders };

    if (webhooks) {
      // Never contacted: the bench only fans out, it does not send.
      const made = await new WebhookService(db.dataSource).createEndpoint(
        { url: "http://127.0.0.1:9/bench", events: ["tier.changed"] },
        systemActor("bench"),
      );
      if (Array.isArray(made)) throw new Error(JSON.stringify(made));
    }
    const peakMemory = watchMemory();
    const service = new ScoringRunService(db.dataSource, {
      currency: "USD",
      defaultMarginRate: "0.3",
    });
    let lastPhase = "";
    const started = performance.now();
    const run = await service.runNow(systemActor("bench"), {
      onProgress: (p) => {
        if (p.phase !== lastPhase) {
          lastPhase = p.phase;
          log(`  ${((performance.now() - started) / 1000).toFixed(1)} s: ${p.phase}`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const peakRssMb = mb(peakMemory());
    if (run.status !== "succeeded" || run.customersScored !== generated.customers) {
      throw new Error(`the run ended ${run.status} with ${run.customersScored} customers scored`);
    }
    const model = JSON.parse(run.modelJson!) as FittedModelRecord;
    const [written] = await db.dataSource.query(
      "SELECT COUNT(*) AS n FROM customer_values WHERE run_id = ?",
      [run.id],
    );
    log(
      `scored ${run.customersScored} customers (${Number(written.n)} rows) in ${seconds.toFixed(1)} s ` +
        `(aggregates ${(model.timings.aggregateMs / 1000).toFixed(1)} s, fits and holdout check ` +
        `${(model.timings.fitMs / 1000).toFixed(1)} s, scoring and writing ${(model.timings.scoreMs / 1000).toFixed(1)} s); ` +
        `peak RSS ${peakRssMb} MB (target: at most 30 s)`,
    );
    const p = model.bgnbd!.params;
    log(
      `BG/NBD r=${p.r.toFixed(3)} alpha=${p.alpha.toFixed(3)} a=${p.a.toFixed(3)} b=${p.b.toFixed(3)}; ` +
        `holdout actual ${model.holdout?.actual} vs predicted ${model.holdout?.predicted.toFixed(0)}`,
    );
    let webhookFigures = {};
    if (webhooks) {
      const [events] = await db.dataSource.query(
        "SELECT COUNT(*) AS n FROM webhook_events WHERE type = 'tier.changed'",
      );
      // The run's INSERT … SELECT of its events, timed alone: the same statement again, in a
      // transaction, after deleting what the run wrote.
      await db.dataSource.query("DELETE FROM webhook_events");
      const emitStarted = performance.now();
      const emitted = await db.dataSource.transaction("READ COMMITTED", (manager) =>
        emitTierChanges(manager, run.id, null, new Date()),
      );
      const emitSeconds = (performance.now() - emitStarted) / 1000;
      if (emitted !== Number(events.n)) {
        throw new Error(`emitting again wrote ${emitted} events, the run ${Number(events.n)}`);
      }
      const fanStarted = performance.now();
      const fannedOut = await new WebhookDeliverer(db.dataSource).fanOut();
      const fanOutSeconds = (performance.now() - fanStarted) / 1000;
      log(
        `${Number(events.n)} tier.changed events written by the run (that INSERT … SELECT alone: ${emitSeconds.toFixed(2)} s); fanned out to their deliveries in ${fanOutSeconds.toFixed(1)} s`,
      );
      webhookFigures = {
        tierChangedEvents: Number(events.n),
        emitSeconds: round(emitSeconds, 2),
        fannedOut,
        fanOutSeconds: round(fanOutSeconds, 2),
      };
    }
    log(
      JSON.stringify({
        bench: "score",
        webhooks,
        ...webhookFigures,
        customers: run.customersScored,
        orders: generated.orders,
        seconds: round(seconds, 2),
        peakRssMb,
        aggregateSeconds: round(model.timings.aggregateMs / 1000, 2),
        fitSeconds: round(model.timings.fitMs / 1000, 2),
        scoreSeconds: round(model.timings.scoreMs / 1000, 2),
      }),
    );
  } finally {
    await cleanUp(db, dir, keep);
  }
}

runBench("bench:score", main);
