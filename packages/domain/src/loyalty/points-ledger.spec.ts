import { describe, expect, it } from "vitest";
import { balances, explainBalance } from "./ledger-balances";
import { DAY_MS } from "./loyalty-calendar";
import { defaultLoyaltySettings, type LoyaltySettings } from "./loyalty-settings";
import {
  activate,
  adjust,
  earn,
  emptyLedger,
  expire,
  redeem,
  reverse,
  spendablePoints,
  type PointsLedger,
} from "./points-ledger";

const T0 = Date.UTC(2026, 0, 1);
const day = (n: number): number => T0 + n * DAY_MS;
const settings = (over: Partial<LoyaltySettings> = {}): LoyaltySettings => ({
  ...defaultLoyaltySettings(),
  pendingDays: 10,
  expiry: { kind: "rolling", days: 100 },
  ...over,
});

function earned(
  points: number,
  at: number,
  source: string,
  s: LoyaltySettings = settings(),
  state: PointsLedger = emptyLedger(),
): PointsLedger {
  return earn(state, s, { points, at, source, reason: "order" }).state;
}

describe("earn and activate", () => {
  it("credits a pending lot that becomes available at exactly pendingUntil", () => {
    const state = earned(120, day(0), "order:1");
    expect(state.lots).toEqual([
      {
        id: "L1",
        kind: "earn",
        source: "order:1",
        points: 120,
        remaining: 120,
        earnedAt: day(0),
        pendingUntil: day(10),
        expiresAt: day(100),
        available: false,
      },
    ]);
    expect(balances(state, day(0))).toMatchObject({ available: 0, pending: 120, balance: 120 });
    expect(activate(state, day(10) - 1).entries).toEqual([]);
    const { state: active, entries } = activate(state, day(10));
    expect(entries).toEqual([
      {
        id: 2,
        type: "activate",
        at: day(10),
        points: 0,
        availableChange: 120,
        pendingChange: -120,
        lots: [],
        activated: { lotId: "L1", points: 120 },
        reason: "return window ended",
        source: "order:1",
      },
    ]);
    expect(balances(active, day(10))).toMatchObject({ available: 120, pending: 0, balance: 120 });
    // Activating again does nothing.
    expect(activate(active, day(20)).entries).toEqual([]);
  });

  it("activates at once when there is no return window", () => {
    const { entries, state } = earn(emptyLedger(), settings({ pendingDays: 0 }), {
      points: 30,
      at: day(0),
      source: "bonus:sign_up",
      reason: "sign-up bonus",
    });
    expect(entries.map((e) => e.type)).toEqual(["earn", "activate"]);
    expect(spendablePoints(state, day(0))).toBe(30);
  });

  it("does not spend pending points", () => {
    const state = earned(50, day(0), "order:1");
    expect(spendablePoints(state, day(5))).toBe(0);
    expect(() =>
      redeem(state, { points: 1, at: day(5), source: "reward:1", reason: "reward" }),
    ).toThrow(expect.objectContaining({ code: "INSUFFICIENT_POINTS" }));
  });

  it("refuses bad points and a clock that goes back", () => {
    const state = earned(50, day(5), "order:1");
    for (const points of [0, -1, 1.5, Number.NaN]) {
      expect(() =>
        earn(state, settings(), { points, at: day(6), source: "x", reason: "x" }),
      ).toThrow(expect.objectContaining({ code: "INVALID_POINTS", field: "points" }));
    }
    expect(() => activate(state, day(4))).toThrow(
      expect.objectContaining({ code: "CLOCK_WENT_BACK", field: "at" }),
    );
    expect(() =>
      earn(state, settings(), { points: 1, at: day(6), source: " ", reason: "x" }),
    ).toThrow(expect.objectContaining({ code: "INVALID_TEXT", field: "source" }));
    expect(() => redeem(state, { points: 1, at: day(6), source: "r", reason: "" })).toThrow(
      expect.objectContaining({ code: "INVALID_TEXT", field: "reason" }),
    );
  });
});

describe("redeem", () => {
  // Three lots: L1 expires day 100, L2 day 60 (shorter rule when earned), L3 day 120.
  function threeLots(): PointsLedger {
    let state = earned(100, day(0), "order:1");
    state = earned(
      50,
      day(1),
      "order:2",
      settings({ expiry: { kind: "rolling", days: 59 } }),
      state,
    );
    state = earned(70, day(20), "order:3", settings(), state);
    return activate(state, day(30)).state;
  }

  it("takes points earliest expiry first and records each lot's share", () => {
    const state = threeLots();
    const { entries, state: after } = redeem(state, {
      points: 120,
      at: day(31),
      source: "reward:9",
      reason: "voucher",
    });
    expect(entries).toEqual([
      expect.objectContaining({
        type: "redeem",
        points: -120,
        availableChange: -120,
        pendingChange: 0,
        lots: [
          { lotId: "L2", points: -50 },
          { lotId: "L1", points: -70 },
        ],
        source: "reward:9",
        reason: "voucher",
      }),
    ]);
    expect(after.lots.map((l) => l.remaining)).toEqual([30, 0, 70]);
    // The old state is untouched.
    expect(state.lots.map((l) => l.remaining)).toEqual([100, 50, 70]);
  });

  it("refuses when the available balance is short, and spends it all when it is not", () => {
    const state = threeLots();
    expect(() => redeem(state, { points: 221, at: day(31), source: "r", reason: "r" })).toThrow(
      expect.objectContaining({
        code: "INSUFFICIENT_POINTS",
        message: "redeeming 221 points needs that many available; 220 are",
      }),
    );
    const all = redeem(state, { points: 220, at: day(31), source: "r", reason: "r" }).state;
    expect(balances(all, day(31)).balance).toBe(0);
  });

  it("does not spend a lot whose expiry has come even before expire runs", () => {
    const state = threeLots();
    // L2 expires at day 60.
    expect(spendablePoints(state, day(60) - 1)).toBe(220);
    expect(spendablePoints(state, day(60))).toBe(170);
  });
});

describe("expire", () => {
  it("expires what is left of a lot at exactly expiresAt, not before", () => {
    let state = activate(earned(100, day(0), "order:1"), day(10)).state;
    state = redeem(state, { points: 40, at: day(20), source: "r", reason: "r" }).state;
    expect(expire(state, day(100) - 1).entries).toEqual([]);
    const { entries, state: after } = expire(state, day(100));
    expect(entries).toEqual([
      expect.objectContaining({
        type: "expire",
        points: -60,
        availableChange: -60,
        lots: [{ lotId: "L1", points: -60 }],
        source: "order:1",
      }),
    ]);
    expect(balances(after, day(100))).toMatchObject({ balance: 0, expired: 60, redeemed: 40 });
    expect(expire(after, day(200)).entries).toEqual([]);
  });

  it("expires at a calendar month end", () => {
    const s = settings({ expiry: { kind: "calendar", unit: "month", count: 1 } });
    const state = earned(10, Date.UTC(2026, 0, 31, 22), "order:1", s);
    expect(expire(state, Date.UTC(2026, 1, 28, 23, 59)).entries).toEqual([]);
    expect(expire(state, Date.UTC(2026, 2, 1)).entries[0]!.points).toBe(-10);
  });

  it("expires a lot that is still pending, from the pending balance", () => {
    const s = settings({ pendingDays: 30, expiry: { kind: "rolling", days: 20 } });
    const { entries } = expire(earned(10, day(0), "order:1", s), day(20));
    expect(entries[0]).toMatchObject({ points: -10, pendingChange: -10, availableChange: 0 });
  });
});

describe("reverse", () => {
  it("reverses in proportion, so partial refunds add up to what the order earned", () => {
    const s = settings();
    let state = activate(earned(10, day(0), "order:1", s), day(10)).state;
    const parts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const result = reverse(state, s, {
        source: "order:1",
        amount: { refundedMinor: 100, orderMinor: 300 },
        at: day(11 + i),
        reason: "refund",
      });
      parts.push(-result.entries[0]!.points);
      state = result.state;
    }
    // floor(10 × 1/3) = 3, floor(10 × 2/3) − 3 = 3, 10 − 6 = 4.
    expect(parts).toEqual([3, 3, 4]);
    expect(balances(state, day(20))).toMatchObject({ balance: 0, reversed: 10 });
    expect(() =>
      reverse(state, s, {
        source: "order:1",
        amount: { refundedMinor: 1, orderMinor: 300 },
        at: day(20),
        reason: "refund",
      }),
    ).toThrow(expect.objectContaining({ code: "REFUND_EXCEEDS_ORDER" }));
  });

  it("records a refund too small for a whole point, so that later refunds count from it", () => {
    const s = settings();
    let state = earned(3, day(0), "order:1", s);
    const small = reverse(state, s, {
      source: "order:1",
      amount: { refundedMinor: 300, orderMinor: 1000 },
      at: day(1),
      reason: "refund",
    });
    // floor(3 × 0.3) = 0.
    expect(small.entries[0]).toMatchObject({ points: 0, lots: [], clawback: { requested: 0 } });
    state = small.state;
    const more = reverse(state, s, {
      source: "order:1",
      amount: { refundedMinor: 400, orderMinor: 1000 },
      at: day(2),
      reason: "refund",
    });
    // floor(3 × 0.7) = 2 in all.
    expect(more.entries[0]!.points).toBe(-2);
  });

  it("takes from the order's own lots first, pending ones included", () => {
    const s = settings();
    let state = activate(earned(100, day(0), "order:1", s), day(10)).state;
    state = earned(40, day(11), "order:2", s, state);
    const { entries } = reverse(state, s, {
      source: "order:2",
      amount: { refundedMinor: 500, orderMinor: 1000 },
      at: day(12),
      reason: "refund",
    });
    expect(entries[0]).toMatchObject({
      points: -20,
      pendingChange: -20,
      availableChange: 0,
      lots: [{ lotId: "L2", points: -20 }],
      clawback: {
        policy: "cap_at_zero",
        requested: 20,
        fromSourceLots: 20,
        fromBalance: 0,
        owed: 0,
        forgiven: 0,
      },
      refund: { refundedMinor: 500, orderMinor: 1000 },
    });
  });

  // order:1 earned 100 and all were spent; order:2 has 30 open. Refunding order:1 wholly:
  function spentThenRefunded(policy: LoyaltySettings["negativeBalance"]) {
    const s = settings({ negativeBalance: policy });
    let state = activate(earned(100, day(0), "order:1", s), day(10)).state;
    state = redeem(state, { points: 100, at: day(11), source: "r", reason: "r" }).state;
    state = activate(earned(30, day(12), "order:2", s, state), day(22)).state;
    return {
      s,
      result: reverse(state, s, {
        source: "order:1",
        amount: { points: 100 },
        at: day(23),
        reason: "refund",
      }),
    };
  }

  it("cap_at_zero: takes the rest from the balance down to zero and forgives the remainder", () => {
    const { result } = spentThenRefunded("cap_at_zero");
    expect(result.entries[0]).toMatchObject({
      points: -30,
      clawback: { requested: 100, fromSourceLots: 0, fromBalance: 30, owed: 0, forgiven: 70 },
    });
    expect(balances(result.state, day(23)).balance).toBe(0);
  });

  it("allow_negative: leaves the rest owed, and the next points that become available repay it", () => {
    const { s, result } = spentThenRefunded("allow_negative");
    expect(result.entries[0]).toMatchObject({
      points: -100,
      clawback: { requested: 100, fromSourceLots: 0, fromBalance: 30, owed: 70, forgiven: 0 },
    });
    let state = result.state;
    expect(balances(state, day(23))).toMatchObject({ available: -70, balance: -70 });
    expect(explainBalance(state)).toEqual([
      expect.objectContaining({ lotId: "debt", status: "owed", remaining: -70 }),
    ]);
    // 50 new points, pending: the balance is −20 but nothing is spendable.
    state = earned(50, day(24), "order:3", s, state);
    expect(balances(state, day(24))).toMatchObject({ available: -70, pending: 50, balance: -20 });
    const { entries, state: repaid } = activate(state, day(34));
    expect(entries[0]).toMatchObject({
      type: "activate",
      points: 0,
      activated: { lotId: "L3", points: 50 },
      lots: [
        { lotId: "L3", points: -50 },
        { lotId: "debt", points: 50 },
      ],
    });
    expect(balances(repaid, day(34))).toMatchObject({ available: -20, pending: 0, balance: -20 });
    // A goodwill adjustment repays the rest and leaves 5 to spend.
    const adjusted = adjust(repaid, s, {
      points: 25,
      at: day(35),
      source: "admin:1",
      reason: "goodwill",
    });
    expect(spendablePoints(adjusted.state, day(35))).toBe(5);
  });

  it("refuses an unknown source, more points than the order earned, and a changed order total", () => {
    const s = settings();
    const state = earned(10, day(0), "order:1", s);
    const refund = (source: string, amount: Parameters<typeof reverse>[2]["amount"]) => () =>
      reverse(state, s, { source, amount, at: day(1), reason: "refund" });
    expect(refund("order:2", { points: 1 })).toThrow(
      expect.objectContaining({ code: "UNKNOWN_SOURCE", field: "source" }),
    );
    expect(refund("order:1", { points: 11 })).toThrow(
      expect.objectContaining({ code: "REFUND_EXCEEDS_ORDER" }),
    );
    expect(refund("order:1", { refundedMinor: 0, orderMinor: 10 })).toThrow(
      expect.objectContaining({ code: "INVALID_MONEY", field: "amount.refundedMinor" }),
    );
    const once = reverse(state, s, {
      source: "order:1",
      amount: { refundedMinor: 5, orderMinor: 10 },
      at: day(1),
      reason: "refund",
    }).state;
    expect(() =>
      reverse(once, s, {
        source: "order:1",
        amount: { refundedMinor: 5, orderMinor: 20 },
        at: day(2),
        reason: "refund",
      }),
    ).toThrow(expect.objectContaining({ code: "INVALID_MONEY", field: "amount.orderMinor" }));
  });
});

describe("adjust", () => {
  it("credits an available lot, or takes points spendable first then pending", () => {
    const s = settings();
    let state = adjust(emptyLedger(), s, {
      points: 25,
      at: day(0),
      source: "admin:1",
      reason: "goodwill",
    }).state;
    expect(state.lots[0]).toMatchObject({ kind: "adjust", available: true, expiresAt: day(100) });
    state = earned(10, day(1), "order:1", s, state);
    const { entries } = adjust(state, s, {
      points: -30,
      at: day(2),
      source: "admin:1",
      reason: "fix",
    });
    expect(entries[0]).toMatchObject({
      points: -30,
      availableChange: -25,
      pendingChange: -5,
      clawback: { requested: 30, fromBalance: 30, owed: 0, forgiven: 0 },
    });
  });

  it("refuses to go below zero under cap_at_zero and records what is owed otherwise", () => {
    const state = adjust(emptyLedger(), settings(), {
      points: 5,
      at: day(0),
      source: "a",
      reason: "r",
    }).state;
    expect(() =>
      adjust(state, settings(), { points: -6, at: day(1), source: "a", reason: "r" }),
    ).toThrow(expect.objectContaining({ code: "INSUFFICIENT_POINTS", field: "points" }));
    const owed = adjust(state, settings({ negativeBalance: "allow_negative" }), {
      points: -6,
      at: day(1),
      source: "a",
      reason: "r",
    });
    expect(owed.entries[0]!.clawback).toMatchObject({ fromBalance: 5, owed: 1 });
    expect(balances(owed.state, day(1)).balance).toBe(-1);
  });
});

describe("balances and explainBalance", () => {
  it("derive every figure from the ledger and trace each open point to its entries", () => {
    const s = settings();
    let state = activate(earned(100, day(0), "order:1", s), day(10)).state;
    state = earned(40, day(50), "order:2", s, state);
    state = redeem(state, { points: 30, at: day(51), source: "reward:1", reason: "r" }).state;
    expect(balances(state, day(51), 60)).toEqual({
      available: 70,
      pending: 40,
      balance: 110,
      lifetimeEarned: 140,
      redeemed: 30,
      expired: 0,
      reversed: 0,
      adjustedIn: 0,
      adjustedOut: 0,
      // L1 expires at day 100, within 60 days of day 51; L2 at day 150 is not.
      expiringWithin: { days: 60, points: 70 },
    });
    expect(explainBalance(state)).toEqual([
      {
        lotId: "L1",
        kind: "earn",
        source: "order:1",
        status: "available",
        earnedAt: day(0),
        expiresAt: day(100),
        remaining: 70,
        history: [
          { entryId: 1, type: "earn", at: day(0), points: 100 },
          { entryId: 4, type: "redeem", at: day(51), points: -30 },
        ],
      },
      {
        lotId: "L2",
        kind: "earn",
        source: "order:2",
        status: "pending",
        earnedAt: day(50),
        expiresAt: day(150),
        remaining: 40,
        history: [{ entryId: 3, type: "earn", at: day(50), points: 40 }],
      },
    ]);
  });
});
