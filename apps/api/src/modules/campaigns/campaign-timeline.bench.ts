/**
 * Timeline benchmark. In apps/api, after `npm run build -w @valuetier/domain` (tsx is not
 * installed; compile this file alone, away from dist, under node_modules so packages resolve):
 *   O=../../node_modules/.cache/timeline-bench; npx tsc --outDir $O --rootDir src --module node16 \
 *     --target es2022 --skipLibCheck --experimentalDecorators src/modules/campaigns/campaign-timeline.bench.ts;
 *   node $O/modules/campaigns/campaign-timeline.bench.js
 * It times `timelineFromRows` over BENCH_MEMBERS members (default 100,000)
 * and BENCH_ORDERS window orders (default 300,000) cut daily over 60 days, against the way the
 * timeline was computed before (measureCampaign over every member at every cut), on the same
 * rows. The SQL reads are not timed (they are the same two queries before and after). Prints one
 * JSON line: timelineMs (median of 3), beforeMs (one run; BENCH_BEFORE=0 skips it) and the
 * largest relative difference between the two estimates.
 */
import { measureCampaign, type CampaignCustomerOutcome } from "@valuetier/domain";
import {
  timelineCuts,
  timelineFromRows,
  type CampaignTimelinePoint,
  type TimelineMember,
  type TimelineOrder,
} from "./campaign-timeline";

const DAY = 86_400_000;
const memberCount = Number(process.env.BENCH_MEMBERS || 100_000);
const orderCount = Number(process.env.BENCH_ORDERS || 300_000);
const days = 60;
const start = Date.UTC(2026, 2, 1);

let state = 12345;
function next(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const members: TimelineMember[] = Array.from({ length: memberCount }, (_, i) => ({
  id: i + 1,
  group: next() < 0.1 ? "control" : "treatment",
  joinedAt: start,
  pre: next() < 0.4 ? 0 : Math.round(2000 + 20_000 * next()),
  clv: next() < 0.95 ? Math.round(10_000 + 90_000 * next()) : null,
}));
const orders: TimelineOrder[] = Array.from({ length: orderCount }, () => ({
  id: 1 + Math.floor(next() * memberCount),
  at: start + Math.floor(next() * days * DAY),
  amountMinor: 500 + Math.round(20_000 * next()),
}));
const cuts = timelineCuts(new Date(start), new Date(start + days * DAY));

/** The timeline as it was computed before this change (kept here as the reference). */
function before(): CampaignTimelinePoint[] {
  const byCustomer = new Map<number, TimelineOrder[]>();
  for (const o of orders) {
    const list = byCustomer.get(o.id) ?? [];
    list.push(o);
    byCustomer.set(o.id, list);
  }
  const planned = {
    treatment: members.filter((p) => p.group === "treatment").length,
    control: members.filter((p) => p.group === "control").length,
  };
  return cuts.map((cut) => {
    const at = cut.getTime();
    const customers: CampaignCustomerOutcome[] = [];
    for (const p of members) {
      if (p.joinedAt > at) continue;
      let revenue = 0;
      let count = 0;
      for (const o of byCustomer.get(p.id) ?? []) {
        if (o.at < at) {
          revenue += o.amountMinor;
          count += 1;
        }
      }
      customers.push({
        group: p.group,
        converted: count > 0,
        revenueMinor: revenue,
        marginMinor: 0,
        preRevenueMinor: p.pre,
        predictedClvMinor: p.clv,
      });
    }
    const measured = measureCampaign({
      customers,
      currency: "USD",
      cost: { pointsAwarded: 0, costPerPointMinor: "0", coupons: [] },
      planned,
    });
    const r = measured.revenuePerCustomer;
    return {
      at: cut,
      treatment: measured.treatment.customers,
      control: measured.control.customers,
      treatmentMeanMinor: measured.treatment.revenueMinor / measured.treatment.customers,
      controlMeanMinor: measured.control.revenueMinor / measured.control.customers,
      estimateMinor: r ? (r.adjusted ?? r.effect).estimate : null,
      sequentialCiMinor: r?.sequential.ci ?? null,
      conclusive: r?.sequential.conclusive ?? false,
    };
  });
}

const runs: number[] = [];
let after: CampaignTimelinePoint[] = [];
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  after = timelineFromRows(members, orders, cuts);
  runs.push(performance.now() - t0);
}
runs.sort((a, b) => a - b);
const result: Record<string, unknown> = {
  members: memberCount,
  orders: orderCount,
  cuts: cuts.length,
  timelineMs: Math.round(runs[1]!),
};
if (process.env.BENCH_BEFORE !== "0") {
  const t0 = performance.now();
  const old = before();
  result.beforeMs = Math.round(performance.now() - t0);
  let worst = 0;
  old.forEach((p, i) => {
    const a = after[i]!.estimateMinor;
    const b = p.estimateMinor;
    if (a !== null && b !== null) {
      worst = Math.max(worst, Math.abs(a - b) / Math.max(1e-12, Math.abs(b)));
    }
  });
  result.maxRelativeDifference = worst;
}
console.log(JSON.stringify(result));
