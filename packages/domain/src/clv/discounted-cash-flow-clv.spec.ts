import { describe, expect, it } from "vitest";
import { discountedCashFlowClv } from "./discounted-cash-flow-clv";

describe("discountedCashFlowClv", () => {
  it("discounts each period's net cash flow at (1 + d)^t", () => {
    expect(
      discountedCashFlowClv({
        cashFlows: [{ revenue: 11000 }, { revenue: 12100 }],
        discountRate: "0.1",
      }),
    ).toBe(20000);
    expect(
      discountedCashFlowClv({
        cashFlows: [{ revenue: "110.00", cost: "11.00" }],
        discountRate: 0.1,
        acquisitionCost: 1000,
      }),
    ).toBe(8000);
    expect(discountedCashFlowClv({ cashFlows: [], discountRate: 0 })).toBe(0);
  });

  it("rounds the exact sum half to even", () => {
    // 1 / 1.6 + 1 / 1.6² = 0.625 + 0.390625 = 1.015625 → 1; 5 / 2 = 2.5 → 2
    expect(
      discountedCashFlowClv({ cashFlows: [{ revenue: 1 }, { revenue: 1 }], discountRate: "0.6" }),
    ).toBe(1);
    expect(discountedCashFlowClv({ cashFlows: [{ revenue: 5 }], discountRate: 1 })).toBe(2);
  });

  it("rejects a negative discount rate", () => {
    expect(() =>
      discountedCashFlowClv({ cashFlows: [{ revenue: 1 }], discountRate: -0.1 }),
    ).toThrow(/discountRate/);
  });
});
