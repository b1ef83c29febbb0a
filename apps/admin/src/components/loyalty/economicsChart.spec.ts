import { describe, expect, it } from "vitest";
import { economicsSeries, share } from "./economicsChart";

describe("economicsSeries", () => {
  it("gives every month of the period and two series per tier, best tier first", () => {
    const result = economicsSeries(
      [
        { month: "2026-03", tierKey: "low", earned: 10, redeemed: 0, expired: 0 },
        { month: "2026-01", tierKey: "high", earned: 50, redeemed: 20, expired: 1 },
        { month: "2026-03", tierKey: "high", earned: 5, redeemed: 0, expired: 0 },
      ],
      ["high", "mid", "low"],
    );
    expect(result.months).toEqual(["2026-01", "2026-02", "2026-03"]);
    expect(result.series).toEqual([
      { tierKey: "high", kind: "earned", data: [50, 0, 5] },
      { tierKey: "high", kind: "redeemed", data: [20, 0, 0] },
      { tierKey: "low", kind: "earned", data: [0, 0, 10] },
      { tierKey: "low", kind: "redeemed", data: [0, 0, 0] },
    ]);
  });

  it("crosses a year end and puts points without a tier last", () => {
    const result = economicsSeries(
      [
        { month: "2026-01", tierKey: null, earned: 3, redeemed: 1, expired: 0 },
        { month: "2025-11", tierKey: "gone", earned: 2, redeemed: 0, expired: 0 },
      ],
      ["high"],
    );
    expect(result.months).toEqual(["2025-11", "2025-12", "2026-01"]);
    expect(result.series.map((s) => s.tierKey)).toEqual(["gone", "gone", null, null]);
  });

  it("keeps every point: the series add up to the cells", () => {
    const cells = [
      { month: "2026-02", tierKey: "a", earned: 7, redeemed: 2, expired: 0 },
      { month: "2026-02", tierKey: "b", earned: 11, redeemed: 5, expired: 0 },
      { month: "2026-05", tierKey: "a", earned: 13, redeemed: 3, expired: 0 },
    ];
    const { series } = economicsSeries(cells, []);
    const sum = (kind: string) =>
      series.filter((s) => s.kind === kind).reduce((n, s) => n + s.data.reduce((a, b) => a + b), 0);
    expect(sum("earned")).toBe(31);
    expect(sum("redeemed")).toBe(10);
  });

  it("is empty without points", () => {
    expect(economicsSeries([], ["high"])).toEqual({ months: [], series: [] });
  });
});

describe("share", () => {
  it("divides, and has no answer for a zero whole", () => {
    expect(share(5, 200)).toBe(0.025);
    expect(share(5, 0)).toBeNull();
  });
});

describe("minorToUnits", async () => {
  const { minorToUnits } = await import("./economicsChart");
  it.each([
    ["6172.5", 2, "61.725"],
    ["5", 2, "0.05"],
    ["1200", 2, "12"],
    ["0", 2, "0"],
    ["150", 0, "150"],
    ["0.5", 0, "0.5"],
    ["-250", 2, "-2.5"],
  ])("%s minor units with %i decimals are %s", (minor, decimals, units) => {
    expect(minorToUnits(minor, decimals)).toBe(units);
  });
});

describe("economicsPeriod", async () => {
  const { economicsPeriod } = await import("./economicsChart");
  it("includes the last day: the API's end is the start of the next", () => {
    expect(economicsPeriod("2026-01-01", "2026-12-31")).toEqual({
      from: "2026-01-01T00:00:00.000Z",
      until: "2027-01-01T00:00:00.000Z",
    });
  });
  it("leaves a missing or malformed day to the API", () => {
    expect(economicsPeriod(undefined, "31/12/2026")).toEqual({ from: null, until: null });
    expect(economicsPeriod(["2026-01-01"], "2026-02-30x")).toEqual({ from: null, until: null });
  });
});
