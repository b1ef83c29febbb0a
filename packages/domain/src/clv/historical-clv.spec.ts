import { describe, expect, it } from "vitest";
import { historicalClv } from "./historical-clv";

describe("historicalClv", () => {
  it("sums order margins and subtracts acquisition and retention costs, exactly", () => {
    expect(historicalClv({ orderMargins: [1250, "7.50"], acquisitionCost: 500 })).toBe(1500);
    expect(historicalClv({ orderMargins: ["0.10", "0.20"], retentionCost: "0.30" })).toBe(0);
    expect(historicalClv({ orderMargins: [] })).toBe(0);
    expect(historicalClv({ orderMargins: [100], acquisitionCost: 250 })).toBe(-150);
  });

  it("rejects float money", () => {
    expect(() => historicalClv({ orderMargins: [12.5] })).toThrow(
      /orderMargins\[0\] must be an integer/,
    );
  });
});
