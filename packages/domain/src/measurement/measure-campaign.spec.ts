import { describe, expect, it } from "vitest";
import { assignGroup } from "./assign-group";
import { measureCampaign, type CampaignCustomerOutcome } from "./measure-campaign";
import { createRng, sampleNormal, sampleSpend } from "./test-simulation";

/** A simulated campaign: 10% control by the stable hash, treatment lifts conversion 20% → 26%. */
function customers(seed: number, n: number): CampaignCustomerOutcome[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const group = assignGroup("autumn", `c${i}`, 0.1);
    // A customer's propensity drives both the pre-period and the window (so CUPED helps).
    const propensity = Math.exp(0.8 * sampleNormal(rng));
    const p = Math.min(0.95, 0.2 * propensity * (group === "treatment" ? 1.3 : 1));
    const revenueMinor = sampleSpend(rng, p, 8, 0.5);
    const preRevenueMinor = sampleSpend(rng, Math.min(0.95, 0.2 * propensity), 8, 0.5);
    return {
      group,
      converted: revenueMinor > 0,
      revenueMinor,
      marginMinor: Math.round(revenueMinor * 0.3),
      preRevenueMinor,
      predictedClvMinor: i % 10 === 0 ? null : Math.round(20000 * propensity),
    };
  });
}

describe("measureCampaign", () => {
  it("reports group totals, per-customer effects, money, cost and return on spend", () => {
    const rows = customers(11, 20_000);
    const r = measureCampaign({
      customers: rows,
      currency: "USD",
      cost: { pointsAwarded: 400_000, costPerPointMinor: "1" },
      planned: { treatment: 18_000, control: 2_000 },
    });
    const treated = rows.filter((c) => c.group === "treatment");
    expect(r.treatment.customers).toBe(treated.length);
    expect(r.control.customers + r.treatment.customers).toBe(20_000);
    // Sizes within sampling error of the 10% control share.
    expect(Math.abs(r.control.customers / 20_000 - 0.1)).toBeLessThan(4 * Math.sqrt(0.09 / 20_000));
    expect(r.treatment.converted).toBe(treated.filter((c) => c.converted).length);
    const revenue = treated.reduce((s, c) => s + c.revenueMinor, 0);
    expect(r.treatment.revenueMinor).toBe(revenue);
    expect(r.treatment.revenue).toBe((revenue / 100).toFixed(2));
    expect(r.covariates).toEqual(["pre_revenue", "predicted_clv", "predicted_clv_missing"]);
    expect(r.revenuePerCustomer!.adjusted!.varianceReduction!).toBeGreaterThan(0.05);
    expect(r.conversion!.effect.estimate).toBeGreaterThan(0);
    expect(r.conclusive).toBe(r.revenuePerCustomer!.sequential.conclusive);
    // Money: incremental revenue = adjusted Δ per customer × treated customers.
    const delta = r.revenuePerCustomer!.adjusted!.estimate;
    expect(
      Math.abs(r.incrementalRevenue!.estimateMinor - delta * treated.length),
    ).toBeLessThanOrEqual(0.5);
    expect(r.incrementalRevenue!.sequentialCi).not.toBeNull();
    expect(r.cost.total).toBe("4000.00");
    expect(r.returnOnSpend!.ratio).toBeCloseTo(r.incrementalMargin!.estimateMinor / 400_000, 12);
  });

  it("finds no effect when there is none, and is not conclusive", () => {
    const rng = createRng(12);
    const rows: CampaignCustomerOutcome[] = Array.from({ length: 5000 }, (_, i) => {
      const revenueMinor = sampleSpend(rng, 0.2, 8, 1);
      return {
        group: assignGroup("null", String(i), 0.2),
        converted: revenueMinor > 0,
        revenueMinor,
        marginMinor: Math.round(revenueMinor / 4),
      };
    });
    const r = measureCampaign({
      customers: rows,
      currency: "EUR",
      cost: { pointsAwarded: 0, costPerPointMinor: "1" },
    });
    expect(r.covariates).toEqual([]);
    expect(r.revenuePerCustomer!.adjusted).toBeNull();
    expect(r.conclusive).toBe(false);
    expect(r.returnOnSpend!.reason).toBe("NO_COST");
  });

  it("waits for two customers in each group before giving statistics", () => {
    const r = measureCampaign({
      customers: [
        { group: "treatment", converted: true, revenueMinor: 1000, marginMinor: 300 },
        { group: "treatment", converted: false, revenueMinor: 0, marginMinor: 0 },
        { group: "control", converted: false, revenueMinor: 0, marginMinor: 0 },
      ],
      currency: "USD",
      cost: { pointsAwarded: 10, costPerPointMinor: "1" },
    });
    expect(r.treatment).toEqual({
      customers: 2,
      converted: 1,
      revenue: "10.00",
      margin: "3.00",
      revenueMinor: 1000,
      marginMinor: 300,
    });
    expect(r.revenuePerCustomer).toBeNull();
    expect(r.incrementalRevenue).toBeNull();
    expect(r.returnOnSpend).toBeNull();
    expect(r.conclusive).toBe(false);
  });

  it("refuses fractional money and unknown groups, naming the customer", () => {
    const base = { currency: "USD", cost: { pointsAwarded: 0, costPerPointMinor: "1" } };
    expect(() =>
      measureCampaign({
        ...base,
        customers: [{ group: "control", converted: false, revenueMinor: 1.5, marginMinor: 0 }],
      }),
    ).toThrow(/customers\[0\]\.revenueMinor must be a whole number/);
    expect(() =>
      measureCampaign({
        ...base,
        customers: [
          { group: "holdout" as "control", converted: false, revenueMinor: 1, marginMinor: 0 },
        ],
      }),
    ).toThrow(/customers\[0\]\.group/);
  });
});
