import { describe, expect, it } from "vitest";
import { displayMarginRate } from "./marginRate";

const usd = (amount: string) => ({ amount, currency: "USD" });

describe("displayMarginRate", () => {
  it("divides margin to date by spend to date", () => {
    expect(displayMarginRate(usd("30.00"), usd("120.00"))).toBe(0.25);
  });

  it("holds the rate to 0–1 as the scoring run does", () => {
    expect(displayMarginRate(usd("150.00"), usd("120.00"))).toBe(1);
    expect(displayMarginRate(usd("-5.00"), usd("120.00"))).toBe(0);
  });

  it("has no rate without spend, or across currencies", () => {
    expect(displayMarginRate(usd("0.00"), usd("0.00"))).toBeNull();
    expect(displayMarginRate(usd("10.00"), { amount: "40.00", currency: "EUR" })).toBeNull();
    expect(displayMarginRate(usd("10.00"), usd("n/a"))).toBeNull();
  });
});
