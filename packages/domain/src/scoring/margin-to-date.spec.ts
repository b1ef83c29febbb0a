import { describe, expect, it } from "vitest";
import { marginToDate } from "./margin-to-date";

describe("marginToDate", () => {
  it("adds the default rate on orders without a margin to the recorded margins", () => {
    expect(marginToDate({ marginKnownMinor: 600, amountWithoutMarginMinor: 3000 }, "0.3")).toBe(
      1500,
    );
  });

  it("rounds the applied part once, half to even", () => {
    // 3005 × 0.3 = 901.5 → 902 (even); 3015 × 0.3 = 904.5 → 904 (even).
    expect(marginToDate({ marginKnownMinor: 600, amountWithoutMarginMinor: 3005 }, "0.3")).toBe(
      1502,
    );
    expect(marginToDate({ marginKnownMinor: 0, amountWithoutMarginMinor: 3015 }, "0.3")).toBe(904);
  });

  it("is exact where a binary float is not (0.1 + 0.2 style rates)", () => {
    // 1e15 × 0.3 as a float is 300000000000000.06; the exact product is 3e14.
    expect(marginToDate({ marginKnownMinor: 0, amountWithoutMarginMinor: 1e15 }, "0.3")).toBe(3e14);
  });

  it("leaves recorded margins alone with a zero rate and nothing unpriced", () => {
    expect(marginToDate({ marginKnownMinor: -250, amountWithoutMarginMinor: 0 }, "0.5")).toBe(-250);
    expect(marginToDate({ marginKnownMinor: 10, amountWithoutMarginMinor: 999 }, "0")).toBe(10);
  });
});
