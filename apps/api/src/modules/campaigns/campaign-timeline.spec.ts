import { measureCampaign, type CampaignCustomerOutcome } from "@valuetier/domain";
import { describe, expect, it } from "vitest";
import {
  timelineCuts,
  timelineFromRows,
  type CampaignTimelinePoint,
  type TimelineMember,
  type TimelineOrder,
} from "./campaign-timeline";

const DAY = 86_400_000;
const start = new Date("2026-03-01T10:00:00Z");

describe("timelineCuts", () => {
  it("cuts every day and ends at the window's end", () => {
    const end = new Date(start.getTime() + 3.5 * DAY);
    expect(timelineCuts(start, end).map((d) => (d.getTime() - start.getTime()) / DAY)).toEqual([
      1, 2, 3, 3.5,
    ]);
  });

  it("is the end alone for a window under a day, or an empty one", () => {
    const end = new Date(start.getTime() + 5 * 3_600_000);
    expect(timelineCuts(start, end)).toEqual([end]);
    expect(timelineCuts(start, start)).toEqual([start]);
  });

  it("widens the step to keep at most maxPoints", () => {
    const end = new Date(start.getTime() + 365 * DAY);
    const cuts = timelineCuts(start, end, 60);
    expect(cuts.length).toBeLessThanOrEqual(60);
    expect(cuts.at(-1)).toEqual(end);
    expect((cuts[1]!.getTime() - cuts[0]!.getTime()) / DAY).toBe(7);
  });

  it("refuses a maxPoints that is not a whole number ≥ 1", () => {
    expect(() => timelineCuts(start, start, 0)).toThrow(/maxPoints/);
  });
});

/** The timeline as it was computed before: measureCampaign over every member at every cut. */
function remeasured(
  members: TimelineMember[],
  orders: TimelineOrder[],
  cuts: Date[],
  alpha?: number,
): CampaignTimelinePoint[] {
  const planned = {
    treatment: members.filter((p) => p.group === "treatment").length,
    control: members.filter((p) => p.group === "control").length,
  };
  return cuts.map((cut) => {
    const at = cut.getTime();
    const customers: CampaignCustomerOutcome[] = members
      .filter((p) => p.joinedAt <= at)
      .map((p) => {
        const mine = orders.filter((o) => o.id === p.id && o.at < at);
        return {
          group: p.group,
          converted: mine.length > 0,
          revenueMinor: mine.reduce((s, o) => s + o.amountMinor, 0),
          marginMinor: 0,
          preRevenueMinor: p.pre,
          predictedClvMinor: p.clv,
        };
      });
    const measured = measureCampaign({
      customers,
      currency: "USD",
      alpha,
      cost: { pointsAwarded: 0, costPerPointMinor: "0", coupons: [] },
      planned: planned.treatment >= 2 && planned.control >= 2 ? planned : undefined,
    });
    const r = measured.revenuePerCustomer;
    const mean = (g: "treatment" | "control") =>
      measured[g].customers > 0 ? measured[g].revenueMinor / measured[g].customers : 0;
    return {
      at: cut,
      treatment: measured.treatment.customers,
      control: measured.control.customers,
      treatmentMeanMinor: mean("treatment"),
      controlMeanMinor: mean("control"),
      estimateMinor: r ? (r.adjusted ?? r.effect).estimate : null,
      sequentialCiMinor: r?.sequential.ci ?? null,
      conclusive: r?.sequential.conclusive ?? false,
    };
  });
}

/** A deterministic pseudo-random source (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function campaign(seed: number, size: number, days: number, scoredShare: number) {
  const next = rng(seed);
  const members: TimelineMember[] = [];
  const orders: TimelineOrder[] = [];
  for (let i = 0; i < size; i++) {
    // Most join at launch (the frozen audience); some join later (a live audience).
    const joinedAt = start.getTime() + (next() < 0.7 ? 0 : Math.floor(next() * days * DAY));
    const propensity = Math.exp(0.8 * (next() + next() + next() - 1.5));
    const group = next() < 0.2 ? ("control" as const) : ("treatment" as const);
    members.push({
      id: 1000 + i,
      group,
      joinedAt,
      pre: next() < 0.4 ? 0 : Math.round(5000 * propensity * (0.5 + next())),
      clv: next() < scoredShare ? Math.round(30_000 * propensity + 1000 * next()) : null,
    });
    const count = Math.floor(next() * 4 * propensity * (group === "treatment" ? 1.2 : 1));
    for (let o = 0; o < count; o++) {
      const at = joinedAt + Math.floor(next() * (start.getTime() + days * DAY - joinedAt));
      orders.push({ id: 1000 + i, at, amountMinor: 500 + Math.round(6000 * next()) });
    }
  }
  return { members, orders };
}

function expectSamePoints(actual: CampaignTimelinePoint[], expected: CampaignTimelinePoint[]) {
  expect(actual).toHaveLength(expected.length);
  const close = (a: number | null, b: number | null, what: string) => {
    if (a === null || b === null) return expect(a, what).toBe(b);
    expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(a), Math.abs(b)),
    );
  };
  actual.forEach((p, i) => {
    const e = expected[i]!;
    const what = `point ${i}`;
    expect(p.at, what).toEqual(e.at);
    expect([p.treatment, p.control], what).toEqual([e.treatment, e.control]);
    close(p.treatmentMeanMinor, e.treatmentMeanMinor, `${what} treatment mean`);
    close(p.controlMeanMinor, e.controlMeanMinor, `${what} control mean`);
    close(p.estimateMinor, e.estimateMinor, `${what} estimate`);
    expect(p.sequentialCiMinor === null, what).toBe(e.sequentialCiMinor === null);
    close(p.sequentialCiMinor?.[0] ?? null, e.sequentialCiMinor?.[0] ?? null, `${what} ci low`);
    close(p.sequentialCiMinor?.[1] ?? null, e.sequentialCiMinor?.[1] ?? null, `${what} ci high`);
    expect(p.conclusive, what).toBe(e.conclusive);
  });
}

describe("timelineFromRows", () => {
  it("gives, cut by cut, what measureCampaign over the members at each cut gives", () => {
    for (const [seed, size, days, scored] of [
      [1, 300, 20, 0.7],
      [2, 400, 45, 1],
      [3, 250, 10, 0],
    ] as const) {
      const { members, orders } = campaign(seed, size, days, scored);
      const cuts = timelineCuts(start, new Date(start.getTime() + days * DAY - 3_600_000));
      const actual = timelineFromRows(members, orders, cuts);
      expectSamePoints(actual, remeasured(members, orders, cuts));
      // Some looks have an estimate and a verdict to compare.
      expect(actual.some((p) => p.estimateMinor !== null)).toBe(true);
    }
  });

  it("has no estimate while a group has under 2 members, and takes alpha", () => {
    const { members, orders } = campaign(4, 200, 8, 0.5);
    // Control members join late: the first looks have under 2 of them.
    const late = members.map((m, i) =>
      m.group === "control" ? { ...m, joinedAt: start.getTime() + 5 * DAY + i } : m,
    );
    const kept = orders.filter((o) => {
      const m = late.find((x) => x.id === o.id)!;
      return o.at >= m.joinedAt;
    });
    const cuts = timelineCuts(start, new Date(start.getTime() + 8 * DAY));
    const actual = timelineFromRows(late, kept, cuts, { alpha: 0.1 });
    expect(actual[0]!.estimateMinor).toBeNull();
    expectSamePoints(actual, remeasured(late, kept, cuts, 0.1));
  });

  it("refuses an order of a customer who is not a member", () => {
    const { members } = campaign(5, 10, 3, 1);
    expect(() =>
      timelineFromRows(
        members,
        [{ id: 1, at: start.getTime(), amountMinor: 100 }],
        [new Date(start.getTime() + DAY)],
      ),
    ).toThrow(/customer 1, who is not a member/);
  });
});
