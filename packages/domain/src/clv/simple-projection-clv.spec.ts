import { describe, expect, it } from "vitest";
import { simpleProjectionClv } from "./simple-projection-clv";

describe("simpleProjectionClv", () => {
  it("is AOV × frequency × (1 / churn) × margin − CAC", () => {
    const base = {
      averageOrderValue: "50.00",
      purchasesPerPeriod: 4,
      churnRate: "0.25",
      marginRate: "0.3",
    };
    expect(simpleProjectionClv(base)).toBe(24000);
    expect(simpleProjectionClv({ ...base, acquisitionCost: "40.00" })).toBe(20000);
  });

  it("rounds once, half to even", () => {
    // 1 cent × 1 × 0.5 / 1 = 0.5 → 0; 3 cents × 0.5 = 1.5 → 2
    expect(
      simpleProjectionClv({ averageOrderValue: 1, purchasesPerPeriod: "0.5", churnRate: 1 }),
    ).toBe(0);
    expect(
      simpleProjectionClv({ averageOrderValue: 3, purchasesPerPeriod: "0.5", churnRate: 1 }),
    ).toBe(2);
  });

  it("rejects churn outside (0, 1] and margin outside [0, 1]", () => {
    expect(() =>
      simpleProjectionClv({ averageOrderValue: 100, purchasesPerPeriod: 1, churnRate: 0 }),
    ).toThrow(/churnRate must be in \(0, 1\]/);
    expect(() =>
      simpleProjectionClv({
        averageOrderValue: 100,
        purchasesPerPeriod: 1,
        churnRate: 0.5,
        marginRate: 2,
      }),
    ).toThrow(/marginRate/);
  });
});
