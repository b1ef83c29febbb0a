import { describe, expect, it } from "vitest";
import { applyTierChange, tierDowngradeDue, type TierState } from "./tier-grace";
import { DEFAULT_TIERS } from "./tier-policy";

const day = (n: number): Date => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
const options = { graceDays: 30, tiers: DEFAULT_TIERS };

/** Runs one scoring run per entry ([day, computed tier]) and returns the state after each. */
function replay(runs: [number, string][], graceDays = 30): TierState[] {
  const states: TierState[] = [];
  let state: TierState | null = null;
  for (const [d, computed] of runs) {
    state = applyTierChange(state, computed, day(d), { graceDays, tiers: DEFAULT_TIERS });
    states.push(state);
  }
  return states;
}

describe("applyTierChange", () => {
  it("gives a first tier at once", () => {
    expect(applyTierChange(null, "mid_low", day(0), options)).toEqual({
      tier: "mid_low",
      since: day(0),
      belowSince: null,
      pendingTier: null,
    });
  });

  it("applies an upgrade at once", () => {
    const [, after] = replay([
      [0, "low"],
      [1, "high"],
    ]);
    expect(after).toEqual({ tier: "high", since: day(1), belowSince: null, pendingTier: null });
  });

  it("keeps the higher tier through the grace period, then moves down on the first run after it", () => {
    const states = replay([
      [0, "high"],
      [10, "mid_high"], // grace starts on day 10
      [39, "mid_high"], // 29 days: still high
      [40, "mid_high"], // 30 days: down
    ]);
    expect(states[1]).toEqual({
      tier: "high",
      since: day(0),
      belowSince: day(10),
      pendingTier: "mid_high",
    });
    expect(tierDowngradeDue(states[1]!, 30)).toEqual(day(40));
    expect(states[2]!.tier).toBe("high");
    expect(states[3]).toEqual({
      tier: "mid_high",
      since: day(40),
      belowSince: null,
      pendingTier: null,
    });
  });

  it("holds the grace period to the millisecond", () => {
    const held = replay([
      [0, "high"],
      [10, "low"],
    ])[1]!;
    const justBefore = new Date(day(40).getTime() - 1);
    expect(applyTierChange(held, "low", justBefore, options).tier).toBe("high");
    expect(applyTierChange(held, "low", day(40), options).tier).toBe("low");
  });

  it("moves to the tier the last run computed, not the lowest seen during the grace period", () => {
    const states = replay([
      [0, "high"],
      [5, "low"],
      [20, "mid_low"],
      [35, "mid_high"],
    ]);
    expect(states[2]!.pendingTier).toBe("mid_low");
    expect(states[3]).toEqual({
      tier: "mid_high",
      since: day(35),
      belowSince: null,
      pendingTier: null,
    });
  });

  it("starts the grace period again after a run back at the held tier", () => {
    const states = replay([
      [0, "high"],
      [5, "mid_high"],
      [20, "high"], // back: grace ends
      [30, "mid_high"], // grace restarts on day 30
      [40, "mid_high"], // 35 days after day 5, only 10 after day 30: still high
      [60, "mid_high"],
    ]);
    expect(states[2]).toEqual({ tier: "high", since: day(0), belowSince: null, pendingTier: null });
    expect(states[4]!.tier).toBe("high");
    expect(states[4]!.belowSince).toEqual(day(30));
    expect(states[5]!.tier).toBe("mid_high");
  });

  it("downgrades at once with no grace period, and gives a tier that no longer exists up at once", () => {
    expect(
      replay(
        [
          [0, "high"],
          [1, "low"],
        ],
        0,
      )[1]!.tier,
    ).toBe("low");
    const gone: TierState = {
      tier: "platinum",
      since: day(0),
      belowSince: null,
      pendingTier: null,
    };
    expect(applyTierChange(gone, "low", day(1), options).tier).toBe("low");
  });

  it("does not change the state it is given", () => {
    const held: TierState = { tier: "high", since: day(0), belowSince: null, pendingTier: null };
    const copy = { ...held };
    applyTierChange(held, "low", day(3), options);
    expect(held).toEqual(copy);
  });

  it("refuses an unknown tier, a bad grace period and a clock that went back", () => {
    const held: TierState = { tier: "high", since: day(10), belowSince: null, pendingTier: null };
    expect(() => applyTierChange(held, "gold", day(11), options)).toThrow(
      /"gold" is not one of high/,
    );
    expect(() => applyTierChange(held, "low", day(11), { ...options, graceDays: -1 })).toThrow(
      /graceDays/,
    );
    expect(() => applyTierChange(held, "low", day(9), options)).toThrow(
      expect.objectContaining({ code: "CLOCK_WENT_BACK" }),
    );
    expect(() => applyTierChange(held, "low", new Date(Number.NaN), options)).toThrow(
      /now is not a valid date/,
    );
  });
});
