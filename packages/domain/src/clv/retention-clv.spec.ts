import { describe, expect, it } from "vitest";
import { retentionClv } from "./retention-clv";

describe("retentionClv (Gupta & Lehmann)", () => {
  it("is m · r / (1 + d − r)", () => {
    expect(
      retentionClv({ marginPerPeriod: 10000, retentionRate: "0.8", discountRate: "0.1" }),
    ).toBe(26667);
    expect(retentionClv({ marginPerPeriod: "100.00", retentionRate: 0.5, discountRate: 0 })).toBe(
      10000,
    );
    expect(retentionClv({ marginPerPeriod: 10000, retentionRate: 0, discountRate: 0.1 })).toBe(0);
    expect(
      retentionClv({
        marginPerPeriod: 10000,
        retentionRate: 0.5,
        discountRate: 0,
        acquisitionCost: 2500,
      }),
    ).toBe(7500);
  });

  it("rejects an infinite value and rates out of range", () => {
    expect(() => retentionClv({ marginPerPeriod: 100, retentionRate: 1, discountRate: 0 })).toThrow(
      /infinite/,
    );
    expect(() =>
      retentionClv({ marginPerPeriod: 100, retentionRate: 1.2, discountRate: 0.1 }),
    ).toThrow(/retentionRate/);
  });
});
