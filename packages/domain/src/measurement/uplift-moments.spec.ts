import { describe, expect, it } from "vitest";
import { measureCampaign, type CampaignCustomerOutcome } from "./measure-campaign";
import { createRng, sampleNormal, sampleSpend } from "./test-simulation";
import { collectMoments, upliftFromMoments, type UpliftMomentsInput } from "./uplift-moments";

function customers(seed: number, n: number, missingClv: number): CampaignCustomerOutcome[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const group = rng.next() < 0.2 ? "control" : "treatment";
    const propensity = Math.exp(0.8 * sampleNormal(rng));
    const p = Math.min(0.95, 0.2 * propensity * (group === "treatment" ? 1.3 : 1));
    const revenueMinor = sampleSpend(rng, p, 8, 0.7);
    return {
      group,
      converted: revenueMinor > 0,
      revenueMinor,
      marginMinor: 0,
      preRevenueMinor: sampleSpend(rng, Math.min(0.95, 0.2 * propensity), 8, 0.5),
      predictedClvMinor:
        rng.next() < missingClv ? null : Math.round(20_000 * propensity + 500 * rng.next()),
    };
  });
}

/**
 * Raw moments about 0, summed the way a running total would (not through collectMoments), in
 * the covariates measureCampaign builds: pre_revenue, predicted_clv at the mean when missing,
 * and predicted_clv_missing when some are missing.
 */
function momentsOf(list: CampaignCustomerOutcome[]): UpliftMomentsInput {
  const present = list.filter((c) => c.predictedClvMinor != null);
  const mean = present.reduce((s, c) => s + c.predictedClvMinor!, 0) / present.length;
  const names = ["pre_revenue"];
  if (present.length > 0) names.push("predicted_clv");
  if (present.length > 0 && present.length < list.length) names.push("predicted_clv_missing");
  const k = names.length;
  const empty = () => ({
    n: 0,
    sumY: 0,
    sumY2: 0,
    sumX: new Array<number>(k).fill(0),
    sumXX: new Array<number>(k * k).fill(0),
    sumXY: new Array<number>(k).fill(0),
  });
  const groups = { treatment: empty(), control: empty() };
  for (const c of list) {
    const m = groups[c.group];
    const clv = c.predictedClvMinor;
    const x = [c.preRevenueMinor!, clv ?? mean, clv == null ? 1 : 0].slice(0, k);
    const y = c.revenueMinor;
    m.n += 1;
    m.sumY += y;
    m.sumY2 += y * y;
    for (let j = 0; j < k; j++) {
      m.sumX[j]! += x[j]!;
      m.sumXY[j]! += x[j]! * y;
      for (let l = 0; l < k; l++) m.sumXX[j * k + l]! += x[j]! * x[l]!;
    }
  }
  return { ...groups, covariates: names };
}

/** Every number in `actual` within `rel` of the one in `expected` (same shape otherwise). */
function expectClose(actual: unknown, expected: unknown, rel = 1e-9, path = "result"): void {
  if (typeof expected === "number" && typeof actual === "number") {
    const scale = Math.max(Math.abs(expected), Math.abs(actual));
    if (!(Math.abs(actual - expected) <= rel * scale || actual === expected)) {
      throw new Error(`${path}: ${actual} differs from ${expected}`);
    }
    return;
  }
  if (expected === null || typeof expected !== "object") {
    expect(actual, path).toEqual(expected);
    return;
  }
  expect(actual, path).toBeTypeOf("object");
  expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) {
    expectClose((actual as Record<string, unknown>)[key], value, rel, `${path}.${key}`);
  }
}

const planned = { treatment: 4000, control: 1000 };

describe("upliftFromMoments", () => {
  it("equals measureCampaign's revenue per customer from running sums, on random campaigns", () => {
    for (const [seed, n, missing] of [
      [1, 400, 0.2],
      [2, 3000, 0],
      [3, 60, 0.5],
      [4, 1500, 1],
    ] as const) {
      const list = customers(seed, n, missing);
      const expected = measureCampaign({
        customers: list,
        currency: "USD",
        cost: { pointsAwarded: 0, costPerPointMinor: "0" },
        planned,
      }).revenuePerCustomer;
      const actual = upliftFromMoments(momentsOf(list), { planned });
      expect(expected?.adjusted).not.toBeNull();
      expectClose(actual, expected, 1e-9, `seed ${seed}`);
    }
  });

  it("takes a fixed mixing variance and alpha as measureUplift does", () => {
    const list = customers(5, 800, 0.1);
    const expected = measureCampaign({
      customers: list,
      currency: "USD",
      cost: { pointsAwarded: 0, costPerPointMinor: "0" },
      alpha: 0.1,
      mixingVariances: { revenue: 5e5 },
    }).revenuePerCustomer;
    expectClose(upliftFromMoments(momentsOf(list), { alpha: 0.1, mixingVariance: 5e5 }), expected);
  });

  it("drops a constant covariate, as the per-customer path does", () => {
    const list = customers(6, 500, 0).map((c) => ({ ...c, preRevenueMinor: 7_345 }));
    const expected = measureCampaign({
      customers: list,
      currency: "USD",
      cost: { pointsAwarded: 0, costPerPointMinor: "0" },
    }).revenuePerCustomer!;
    expect(expected.adjusted!.dropped).toEqual(["pre_revenue"]);
    const actual = upliftFromMoments(momentsOf(list));
    expect(actual.adjusted!.dropped).toEqual(["pre_revenue"]);
    expectClose(actual, expected);
  });

  it("has no intervals when no one spent, and refuses a group under 2 customers", () => {
    const idle = customers(7, 300, 0.3).map((c) => ({ ...c, revenueMinor: 0, converted: false }));
    const expected = measureCampaign({
      customers: idle,
      currency: "USD",
      cost: { pointsAwarded: 0, costPerPointMinor: "0" },
    }).revenuePerCustomer!;
    expect(expected.sequential.ci).toBeNull();
    expectClose(upliftFromMoments(momentsOf(idle)), expected);

    const lonely = customers(8, 50, 0).map((c, i) => ({
      ...c,
      group: i === 0 ? ("control" as const) : ("treatment" as const),
    }));
    expect(
      measureCampaign({
        customers: lonely,
        currency: "USD",
        cost: { pointsAwarded: 0, costPerPointMinor: "0" },
      }).revenuePerCustomer,
    ).toBeNull();
    expect(() => upliftFromMoments(momentsOf(lonely))).toThrow(/control group has 1 customer/);
  });

  it("refuses moments whose lengths do not match the covariates", () => {
    const m = momentsOf(customers(9, 100, 0));
    expect(() => upliftFromMoments({ ...m, covariates: ["pre_revenue"] })).toThrow(
      /treatment moments must have/,
    );
  });

  it("is what collectMoments gives for per-customer arrays (sums about each group's first value)", () => {
    const list = customers(10, 700, 0);
    const m = collectMoments(
      list.map((c) => c.group),
      list.map((c) => c.revenueMinor),
      [{ name: "pre_revenue", values: list.map((c) => c.preRevenueMinor!) }],
    );
    expect(m.treatment.origin?.outcome).toBe(
      list.find((c) => c.group === "treatment")!.revenueMinor,
    );
    const raw = momentsOf(list);
    const rawPre = {
      ...raw,
      covariates: ["pre_revenue"],
      treatment: {
        ...raw.treatment,
        sumX: Array.from(raw.treatment.sumX).slice(0, 1),
        sumXY: Array.from(raw.treatment.sumXY).slice(0, 1),
        sumXX: [raw.treatment.sumXX[0]!],
      },
      control: {
        ...raw.control,
        sumX: Array.from(raw.control.sumX).slice(0, 1),
        sumXY: Array.from(raw.control.sumXY).slice(0, 1),
        sumXX: [raw.control.sumXX[0]!],
      },
    };
    expectClose(upliftFromMoments(m), upliftFromMoments(rawPre));
  });
});
