import {
  upliftFromMoments,
  type ExperimentGroup,
  type UpliftMoments,
  type UpliftMomentsInput,
  type UpliftOptions,
} from "@valuetier/domain";
import type { DataSource } from "typeorm";
import { fromSqlDateTime, toSqlDateTime } from "../../db/sql-values";
import type { CampaignEntity } from "./campaign.entity";

const DAY_MS = 86_400_000;

/** Revenue per customer, treatment vs control, as it stood at one moment of the window. */
export interface CampaignTimelinePoint {
  at: Date;
  /** Members who had joined by then. */
  treatment: number;
  control: number;
  /** Means in minor units per customer (orders from joining until `at`). */
  treatmentMeanMinor: number;
  controlMeanMinor: number;
  /** Treatment − control (CUPED-adjusted when covariates exist), minor units; null under 2 a group. */
  estimateMinor: number | null;
  /** The always-valid interval at that look, minor units. */
  sequentialCiMinor: [number, number] | null;
  conclusive: boolean;
}

/** Where the timeline is cut: every day (or every few days, for at most `maxPoints`), and the end. */
export function timelineCuts(start: Date, end: Date, maxPoints = 60): Date[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 1) {
    throw new RangeError(`maxPoints must be a whole number ≥ 1 (got ${maxPoints})`);
  }
  const span = end.getTime() - start.getTime();
  if (span <= 0) return [end];
  const days = Math.ceil(span / DAY_MS);
  const step = Math.max(1, Math.ceil(days / maxPoints)) * DAY_MS;
  const cuts: Date[] = [];
  for (let at = start.getTime() + step; at < end.getTime(); at += step) cuts.push(new Date(at));
  cuts.push(end);
  return cuts;
}

/**
 * Revenue per customer of treatment vs control at each day of a launched campaign's window
 * (cumulative: the orders of each member from joining until that day), with the always-valid
 * interval as it was at that look — the same statistics as `results` (covariates, the planned
 * sizes of the frozen audience), so the last point is the results' revenue per customer. Two
 * reads (members; their completed orders in the window), then one pass over them in time order
 * with running moments ({@link timelineFromRows}).
 */
export async function measureCampaignTimeline(
  dataSource: DataSource,
  campaign: CampaignEntity,
  options: { currency: string; now: Date; alpha?: number; maxPoints?: number },
): Promise<CampaignTimelinePoint[]> {
  if (!campaign.launchedAt) return [];
  const windowStart = campaign.launchedAt;
  let windowEnd = campaign.endedAt ?? options.now;
  if (campaign.endsAt && campaign.endsAt < windowEnd) windowEnd = campaign.endsAt;
  if (windowEnd < windowStart) windowEnd = windowStart;
  const members = (await dataSource.query(
    "SELECT customer_id AS id, grp, joined_at AS joinedAt, clv_minor AS clv, pre_spend_minor AS pre " +
      "FROM campaign_members WHERE campaign_id = ?",
    [campaign.id],
  )) as {
    id: string | number;
    grp: string;
    joinedAt: Date | string;
    clv: string | number | null;
    pre: string | number;
  }[];
  const orders = (await dataSource.query(
    "SELECT o.customer_id AS id, o.placed_at AS placedAt, o.amount_minor AS amount " +
      "FROM campaign_members m JOIN orders o ON o.customer_id = m.customer_id " +
      "AND o.placed_at >= ? AND o.placed_at < ? AND o.placed_at >= m.joined_at AND o.status = 'completed' " +
      "WHERE m.campaign_id = ?",
    [toSqlDateTime(windowStart), toSqlDateTime(windowEnd), campaign.id],
  )) as { id: string | number; placedAt: Date | string; amount: string | number }[];
  const time = (value: Date | string) => fromSqlDateTime(value)!.getTime();
  return timelineFromRows(
    members.map((m) => ({
      id: Number(m.id),
      group: m.grp === "C" ? ("control" as const) : ("treatment" as const),
      joinedAt: time(m.joinedAt),
      pre: Number(m.pre),
      clv: m.clv === null ? null : Number(m.clv),
    })),
    orders.map((o) => ({
      id: Number(o.id),
      at: time(o.placedAt),
      amountMinor: Math.round(Number(o.amount)),
    })),
    timelineCuts(windowStart, windowEnd, options.maxPoints),
    { alpha: options.alpha },
  );
}

/** A member of a campaign as the timeline reads it (times in ms since the epoch). */
export interface TimelineMember {
  id: number;
  group: ExperimentGroup;
  joinedAt: number;
  /** Pre-period revenue, minor units. */
  pre: number;
  /** Predicted CLV at launch, minor units; null when not scored. */
  clv: number | null;
}

/** A completed order of a member in the window, after the member joined. */
export interface TimelineOrder {
  id: number;
  at: number;
  amountMinor: number;
}

// Raw covariate columns kept per group: pre-period revenue, predicted CLV (0 when missing) and
// "CLV missing" (0/1). The covariates measureCampaign builds at a cut are linear in them.
const RAW = 3;

interface RawMoments {
  n: number;
  sumY: number;
  sumY2: number;
  sumZ: Float64Array;
  sumZZ: Float64Array;
  sumZY: Float64Array;
  /** Members with a predicted CLV, and the sum of those CLVs. */
  clvPresent: number;
}

function emptyRaw(): RawMoments {
  return {
    n: 0,
    sumY: 0,
    sumY2: 0,
    sumZ: new Float64Array(RAW),
    sumZZ: new Float64Array(RAW * RAW),
    sumZY: new Float64Array(RAW),
    clvPresent: 0,
  };
}

/**
 * The group moments at a cut in the covariates `measureCampaign` would build from the members
 * included: pre_revenue, and predicted_clv with missing values at the mean of the present ones
 * plus predicted_clv_missing when some are missing (none when no member has one). Each is a
 * linear combination of the raw columns, x = A·z, so Σx = AΣz, Σxxᵀ = A Σzzᵀ Aᵀ, Σxy = A Σzy.
 */
function cutMoments(raw: { treatment: RawMoments; control: RawMoments }): UpliftMomentsInput {
  const n = raw.treatment.n + raw.control.n;
  const present = raw.treatment.clvPresent + raw.control.clvPresent;
  const names = ["pre_revenue"];
  const rows: number[][] = [[1, 0, 0]];
  if (present > 0) {
    const mean = (raw.treatment.sumZ[1]! + raw.control.sumZ[1]!) / present;
    names.push("predicted_clv");
    rows.push([0, 1, mean]);
    if (present < n) {
      names.push("predicted_clv_missing");
      rows.push([0, 0, 1]);
    }
  }
  const k = rows.length;
  const transform = (m: RawMoments): UpliftMoments => {
    const sumX = new Float64Array(k);
    const sumXY = new Float64Array(k);
    const sumXX = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let r = 0; r < RAW; r++) {
        const w = rows[a]![r]!;
        if (w === 0) continue;
        sumX[a]! += w * m.sumZ[r]!;
        sumXY[a]! += w * m.sumZY[r]!;
        for (let b = 0; b < k; b++) {
          for (let q = 0; q < RAW; q++) {
            const v = rows[b]![q]!;
            if (v !== 0) sumXX[a * k + b]! += w * v * m.sumZZ[r * RAW + q]!;
          }
        }
      }
    }
    return { n: m.n, sumY: m.sumY, sumY2: m.sumY2, sumX, sumXX, sumXY };
  };
  return {
    treatment: transform(raw.treatment),
    control: transform(raw.control),
    covariates: names,
  };
}

/**
 * The timeline from the members and their window orders in one pass: members (by joining time)
 * and orders (by time) are added to per-group running moments as each cut is reached — a member
 * adds its covariates with revenue 0, an order of a customer whose revenue is y adds a to Σy,
 * (y + a)² − y² to Σy² and z·a to Σzy — and each cut is measured from the moments with the
 * domain's `upliftFromMoments`, the statistics `measureCampaign` computes (same covariates,
 * planned sizes and mixing variance). O((members + orders)·log + cuts) instead of
 * O(members · cuts).
 *
 * @param members the campaign's members.
 * @param orders completed orders of members in the window, placed at or after joining.
 * @param cuts the looks, ascending (see {@link timelineCuts}).
 * @param options alpha of the intervals (default 0.05).
 * @returns one point per cut.
 * @throws {Error} for an order of a customer who is not a member.
 */
export function timelineFromRows(
  members: readonly TimelineMember[],
  orders: readonly TimelineOrder[],
  cuts: readonly Date[],
  options: { alpha?: number } = {},
): CampaignTimelinePoint[] {
  const count = members.length;
  const index = new Map<number, number>();
  const joinedAt = new Float64Array(count);
  const treated = new Uint8Array(count);
  // Raw columns per member, RAW at a time: pre, CLV (0 when missing), CLV missing.
  const z = new Float64Array(count * RAW);
  members.forEach((m, i) => {
    index.set(m.id, i);
    joinedAt[i] = m.joinedAt;
    treated[i] = m.group === "treatment" ? 1 : 0;
    z[i * RAW] = m.pre;
    z[i * RAW + 1] = m.clv ?? 0;
    z[i * RAW + 2] = m.clv === null ? 1 : 0;
  });
  const byJoin = Uint32Array.from({ length: count }, (_, i) => i).sort(
    (a, b) => joinedAt[a]! - joinedAt[b]!,
  );
  const orderAt = new Float64Array(orders.length);
  const orderMember = new Uint32Array(orders.length);
  orders.forEach((o, j) => {
    const i = index.get(o.id);
    if (i === undefined) {
      throw new Error(`timeline: order of customer ${o.id}, who is not a member`);
    }
    if (o.at < joinedAt[i]!) {
      throw new Error(`timeline: order of customer ${o.id} placed before joining`);
    }
    orderAt[j] = o.at;
    orderMember[j] = i;
  });
  const byTime = Uint32Array.from({ length: orders.length }, (_, j) => j).sort(
    (a, b) => orderAt[a]! - orderAt[b]!,
  );
  const revenue = new Float64Array(count);
  const raw = { treatment: emptyRaw(), control: emptyRaw() };
  const planned = { treatment: 0, control: 0 };
  for (let i = 0; i < count; i++) planned[treated[i] ? "treatment" : "control"] += 1;
  const upliftOptions: UpliftOptions = { alpha: options.alpha ?? 0.05 };
  if (planned.treatment >= 2 && planned.control >= 2) upliftOptions.planned = planned;
  let nextMember = 0;
  let nextOrder = 0;
  const points: CampaignTimelinePoint[] = [];
  for (const cut of cuts) {
    const at = cut.getTime();
    // The last point includes every member (the window end is exclusive for orders only).
    for (; nextMember < count && joinedAt[byJoin[nextMember]!]! <= at; nextMember++) {
      const i = byJoin[nextMember]!;
      const m = treated[i] ? raw.treatment : raw.control;
      m.n += 1;
      if (z[i * RAW + 2] === 0) m.clvPresent += 1;
      for (let r = 0; r < RAW; r++) {
        const zr = z[i * RAW + r]!;
        m.sumZ[r]! += zr;
        for (let q = 0; q < RAW; q++) m.sumZZ[r * RAW + q]! += zr * z[i * RAW + q]!;
      }
    }
    for (; nextOrder < byTime.length && orderAt[byTime[nextOrder]!]! < at; nextOrder++) {
      const j = byTime[nextOrder]!;
      const i = orderMember[j]!;
      const m = treated[i] ? raw.treatment : raw.control;
      const y = revenue[i]!;
      const a = orders[j]!.amountMinor;
      revenue[i] = y + a;
      m.sumY += a;
      m.sumY2 += (y + a) * (y + a) - y * y;
      for (let r = 0; r < RAW; r++) m.sumZY[r]! += z[i * RAW + r]! * a;
    }
    const t = raw.treatment;
    const c = raw.control;
    const r = t.n >= 2 && c.n >= 2 ? upliftFromMoments(cutMoments(raw), upliftOptions) : null;
    points.push({
      at: cut,
      treatment: t.n,
      control: c.n,
      treatmentMeanMinor: t.n > 0 ? t.sumY / t.n : 0,
      controlMeanMinor: c.n > 0 ? c.sumY / c.n : 0,
      estimateMinor: r ? (r.adjusted ?? r.effect).estimate : null,
      sequentialCiMinor: r?.sequential.ci ?? null,
      conclusive: r?.sequential.conclusive ?? false,
    });
  }
  return points;
}
