import { describe, expect, it } from "vitest";
import { campaignVerdict } from "./campaignVerdict";

describe("campaignVerdict", () => {
  it("says raised once the always-valid interval is above zero", () => {
    expect(
      campaignVerdict({
        alpha: 0.05,
        conclusive: true,
        revenuePerCustomer: { estimate: 4.2, sequentialCi: [1.1, 7.3] },
      }),
    ).toEqual({ kind: "raised", level: 95, amount: 4.2, direction: "higher", low: 1.1, high: 7.3 });
  });

  it("says lowered when it is below zero, with the size as a positive amount", () => {
    const v = campaignVerdict({
      alpha: 0.1,
      conclusive: true,
      revenuePerCustomer: { estimate: -2.5, sequentialCi: [-4, -1] },
    });
    expect(v).toMatchObject({ kind: "lowered", level: 90, amount: 2.5, direction: "lower" });
  });

  it("is not yet conclusive while the interval holds zero, whatever the estimate", () => {
    expect(
      campaignVerdict({
        alpha: 0.05,
        conclusive: false,
        revenuePerCustomer: { estimate: 3, sequentialCi: [-1, 7] },
      }),
    ).toMatchObject({ kind: "notYet", amount: 3, direction: "higher", low: -1, high: 7 });
  });

  it("has too few customers before both groups can be compared", () => {
    expect(campaignVerdict(null)).toEqual({ kind: "tooFew" });
    expect(campaignVerdict({ alpha: 0.05, conclusive: false, revenuePerCustomer: null })).toEqual({
      kind: "tooFew",
    });
    expect(
      campaignVerdict({
        alpha: 0.05,
        conclusive: false,
        revenuePerCustomer: { estimate: 0, sequentialCi: null },
      }),
    ).toEqual({ kind: "tooFew" });
  });
});
