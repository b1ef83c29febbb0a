import { measureCampaign, type CampaignCustomerOutcome } from "@valuetier/domain";
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
 * reads (members; their completed orders in the window), then the domain's measurement per cut.
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
  const byCustomer = new Map<number, { at: number; amount: number }[]>();
  for (const o of orders) {
    const list = byCustomer.get(Number(o.id)) ?? [];
    list.push({ at: time(o.placedAt), amount: Math.round(Number(o.amount)) });
    byCustomer.set(Number(o.id), list);
  }
  const people = members.map((m) => ({
    group: m.grp === "C" ? ("control" as const) : ("treatment" as const),
    joinedAt: time(m.joinedAt),
    orders: byCustomer.get(Number(m.id)) ?? [],
    pre: Number(m.pre),
    clv: m.clv === null ? null : Number(m.clv),
  }));
  const planned = {
    treatment: people.filter((p) => p.group === "treatment").length,
    control: people.filter((p) => p.group === "control").length,
  };
  const points: CampaignTimelinePoint[] = [];
  for (const cut of timelineCuts(windowStart, windowEnd, options.maxPoints)) {
    const at = cut.getTime();
    const customers: CampaignCustomerOutcome[] = [];
    for (const p of people) {
      // The last point includes every member (the window end is exclusive for orders only).
      if (p.joinedAt > at) continue;
      let revenue = 0;
      let count = 0;
      for (const o of p.orders) {
        if (o.at < at) {
          revenue += o.amount;
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
      currency: options.currency,
      alpha: options.alpha,
      cost: { pointsAwarded: 0, costPerPointMinor: "0", coupons: [] },
      planned: planned.treatment >= 2 && planned.control >= 2 ? planned : undefined,
    });
    const r = measured.revenuePerCustomer;
    const mean = (g: "treatment" | "control") =>
      measured[g].customers > 0 ? measured[g].revenueMinor / measured[g].customers : 0;
    points.push({
      at: cut,
      treatment: measured.treatment.customers,
      control: measured.control.customers,
      treatmentMeanMinor: mean("treatment"),
      controlMeanMinor: mean("control"),
      estimateMinor: r ? (r.adjusted ?? r.effect).estimate : null,
      sequentialCiMinor: r?.sequential.ci ?? null,
      conclusive: r?.sequential.conclusive ?? false,
    });
  }
  return points;
}
