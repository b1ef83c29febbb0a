import { describe, expect, it } from "vitest";
import { createRng, type Rng } from "../random";
import { balances, explainBalance } from "./ledger-balances";
import { earnPoints } from "./earn-points";
import { DAY_MS, capPeriodStart } from "./loyalty-calendar";
import { LoyaltyError } from "./loyalty-error";
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
  type LedgerResult,
  type PointsLedger,
} from "./points-ledger";

const int = (rng: Rng, lo: number, hi: number): number =>
  lo + Math.floor(rng.next() * (hi - lo + 1));

function randomSettings(rng: Rng): LoyaltySettings {
  const expiries: LoyaltySettings["expiry"][] = [
    { kind: "none" },
    { kind: "rolling", days: int(rng, 1, 120) },
    { kind: "calendar", unit: "month", count: int(rng, 0, 3) },
    { kind: "calendar", unit: "year", count: 0 },
  ];
  return {
    ...defaultLoyaltySettings(),
    pendingDays: int(rng, 0, 30),
    expiry: expiries[int(rng, 0, expiries.length - 1)]!,
    negativeBalance: rng.next() < 0.5 ? "allow_negative" : "cap_at_zero",
    pointsPerUnit: ["1", "1.5", "0.29", "0.01"][int(rng, 0, 3)]!,
    rounding: rng.next() < 0.5 ? "floor" : "half_up",
    tierMultipliers: { high: "1.25" },
    perOrderCap: rng.next() < 0.5 ? null : int(rng, 50, 400),
    periodCap: rng.next() < 0.5 ? null : { period: { kind: "month" }, points: int(rng, 200, 2000) },
  };
}

// Plain checks rather than expect() in the hot loop: the invariants run after each of
// ~60 000 steps, and a failure names the broken invariant.
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`invariant broken: ${what}`);
}
function same(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected)
    throw new Error(`invariant broken: ${what} is ${String(actual)}, expected ${String(expected)}`);
}

/** Every invariant the ledger promises, checked after every step. */
function checkInvariants(state: PointsLedger, settings: LoyaltySettings, now: number): void {
  const b = balances(state, now);
  const ledgerSum = state.entries.reduce((s, e) => s + e.points, 0);
  const lotSum = state.lots.reduce((s, l) => s + l.remaining, 0);
  // The balance is available + pending; it equals the ledger's sum and the open lots' sum.
  same(b.balance, ledgerSum, "balance vs Σ ledger");
  same(b.balance, lotSum, "balance vs Σ open lots");
  same(
    state.entries.reduce((s, e) => s + e.availableChange, 0),
    b.available,
    "state.entries.reduce((s, e) => s + e.availableChange, 0)",
  );
  same(
    state.entries.reduce((s, e) => s + e.pendingChange, 0),
    b.pending,
    "state.entries.reduce((s, e) => s + e.pendingChange, 0)",
  );
  // No point created or lost.
  same(
    b.lifetimeEarned + b.adjustedIn,
    b.balance + b.redeemed + b.expired + b.reversed + b.adjustedOut,
    "earned + adjusted in vs balance + redeemed + expired + reversed + adjusted out",
  );
  const perLot = new Map<string, { plus: number; minus: number }>();
  for (const e of state.entries) {
    same(
      e.lots.reduce((s, c) => s + c.points, 0),
      e.points,
      "e.lots.reduce((s, c) => s + c.points, 0)",
    );
    check(Number.isSafeInteger(e.points), "whole points");
    if (e.type === "activate") same(e.points, 0, "an activate entry's points");
    if (e.type === "earn") check(e.points > 0, "e.points > 0");
    if (e.type === "redeem" || e.type === "expire") check(e.points < 0, "e.points < 0");
    if (e.type === "reverse") check(e.points <= 0, "e.points <= 0");
    for (const c of e.lots) {
      const t = perLot.get(c.lotId) ?? { plus: 0, minus: 0 };
      if (c.points > 0) t.plus += c.points;
      else t.minus -= c.points;
      perLot.set(c.lotId, t);
    }
  }
  let owed = 0;
  for (const lot of state.lots) {
    const t = perLot.get(lot.id) ?? { plus: 0, minus: 0 };
    same(t.plus - t.minus, lot.remaining, `${lot.id}: Σ its ledger changes vs remaining`);
    if (lot.kind === "debt") {
      check(lot.remaining <= 0, "lot.remaining <= 0");
      owed = -lot.remaining;
    } else {
      // A lot is credited once; what is taken from it never exceeds what it was credited.
      same(t.plus, lot.points, `${lot.id}: credited vs lot points`);
      check(t.minus <= lot.points, "t.minus <= lot.points");
      check(lot.remaining >= 0, "lot.remaining >= 0");
    }
  }
  if (owed > 0) {
    // A negative balance exists only where the setting allows it, made by recorded clawbacks, and
    // no spendable lot sits beside it (points that become available repay it first).
    same(settings.negativeBalance, "allow_negative", "policy of a negative balance");
    const recordedOwed = state.entries.reduce((s, e) => s + (e.clawback?.owed ?? 0), 0);
    check(recordedOwed >= owed, "recordedOwed >= owed");
    check(
      !state.lots.some((l) => l.kind !== "debt" && l.available && l.remaining > 0),
      "no spendable lot beside a negative balance",
    );
  }
  if (settings.negativeBalance === "cap_at_zero") {
    check(b.available >= 0, "b.available >= 0");
    check(b.balance >= 0, "b.balance >= 0");
    same(owed, 0, "owed points under cap_at_zero");
  }
  same(
    explainBalance(state).reduce((s, l) => s + l.remaining, 0),
    b.balance,
    "explainBalance(state).reduce((s, l) => s + l.remaining, 0)",
  );
}

describe("points ledger, random sequences", () => {
  it("keeps balance = Σ ledger = Σ open lots, conserves points and respects the negative-balance setting", () => {
    let steps = 0;
    const refusals = { redeem: 0, adjust: 0 };
    const outcomes = { owed: 0, forgiven: 0, fullRefunds: 0 };
    for (let seed = 1; seed <= 2000; seed++) {
      const rng = createRng(seed);
      const settings = randomSettings(rng);
      let state = emptyLedger();
      let now = Date.UTC(2026, 0, 1) + int(rng, 0, 364) * DAY_MS;
      const orders: { source: string; orderMinor: number; refunded: number; earned: number }[] = [];
      const length = int(rng, 5, 60);
      for (let step = 0; step < length; step++) {
        now += int(rng, 0, 3) === 0 ? 0 : int(rng, 0, 20 * DAY_MS);
        // The immutability check is costly (it serialises the state); a sample suffices.
        const before = seed <= 200 ? JSON.stringify(state) : null;
        const op = int(rng, 0, 9);
        let result: LedgerResult | null = null;
        if (op <= 2) {
          // Points from the earning rule, with the period cap fed from the ledger.
          const orderMinor = int(rng, 100, 50_000);
          const periodStart = settings.periodCap
            ? capPeriodStart(settings.periodCap.period, now)
            : 0;
          const earnedInPeriod = state.entries
            .filter((e) => e.type === "earn" && e.at >= periodStart)
            .reduce((sum, e) => sum + e.points, 0);
          const { points } = earnPoints(settings, {
            amountMinor: orderMinor,
            currencyExponent: 2,
            tier: rng.next() < 0.5 ? "high" : null,
            campaignMultipliers: rng.next() < 0.2 ? ["2"] : [],
            earnedInPeriod,
          });
          check(Number.isSafeInteger(points) && points >= 0, "earned points are whole");
          if (settings.perOrderCap !== null) check(points <= settings.perOrderCap, "order cap");
          if (settings.periodCap !== null) {
            check(
              earnedInPeriod + points <= Math.max(earnedInPeriod, settings.periodCap.points),
              "period cap",
            );
          }
          if (points > 0) {
            const source = `order:${orders.length + 1}`;
            orders.push({ source, orderMinor, refunded: 0, earned: points });
            result = earn(state, settings, { points, at: now, source, reason: "order" });
          }
        } else if (op === 3) {
          result = activate(state, now);
          check(
            !result.state.lots.some((l) => !l.available && l.pendingUntil <= now),
            "every lot due is active after activate",
          );
        } else if (op === 4) {
          result = expire(state, now);
          check(
            !result.state.lots.some(
              (l) =>
                l.kind !== "debt" && l.remaining > 0 && l.expiresAt !== null && l.expiresAt <= now,
            ),
            "no open points past their expiry after expire",
          );
        } else if (op <= 6) {
          const have = spendablePoints(state, now);
          const points = int(rng, 1, Math.max(1, have + 50));
          if (points > have) {
            let code: string | undefined;
            try {
              redeem(state, { points, at: now, source: "reward", reason: "r" });
            } catch (error) {
              code = (error as LoyaltyError).code;
            }
            same(code, "INSUFFICIENT_POINTS", "a redemption above the spendable points is refused");
            refusals.redeem++;
          } else {
            result = redeem(state, { points, at: now, source: "reward", reason: "r" });
          }
        } else if (op <= 8 && orders.length > 0) {
          const order = orders[int(rng, 0, orders.length - 1)]!;
          const left = order.orderMinor - order.refunded;
          if (left > 0) {
            const refundedMinor = rng.next() < 0.4 ? left : int(rng, 1, left);
            result = reverse(state, settings, {
              source: order.source,
              amount: { refundedMinor, orderMinor: order.orderMinor },
              at: now,
              reason: "refund",
            });
            order.refunded += refundedMinor;
            const claw = result.entries[0]!.clawback!;
            if (claw.owed > 0) outcomes.owed++;
            if (claw.forgiven > 0) outcomes.forgiven++;
            if (order.refunded === order.orderMinor) {
              // A whole refund, in however many parts, reverses exactly what the order earned.
              const requested = result.state.entries
                .filter((e) => e.type === "reverse" && e.source === order.source)
                .reduce((s, e) => s + e.clawback!.requested, 0);
              same(requested, order.earned, "points reversed by a whole refund");
              outcomes.fullRefunds++;
            }
          }
        } else {
          const points = int(rng, -300, 300) || 1;
          try {
            result = adjust(state, settings, { points, at: now, source: "admin", reason: "fix" });
          } catch (error) {
            check(error instanceof LoyaltyError, String(error));
            same((error as LoyaltyError).code, "INSUFFICIENT_POINTS", "adjust refusal code");
            same(settings.negativeBalance, "cap_at_zero", "an adjustment refused only when capped");
            check(-points > balances(state, now).balance, "an adjustment refused only when short");
            refusals.adjust++;
          }
        }
        // Operations return a new state and leave the old one as it was.
        if (before !== null) same(JSON.stringify(state), before, "the previous state");
        if (result) {
          same(
            JSON.stringify(result.state.entries.slice(state.entries.length)),
            JSON.stringify(result.entries),
            "appended entries",
          );
          state = result.state;
        }
        checkInvariants(state, settings, now);
        steps++;
      }
    }
    // The sequences reached every path worth reaching.
    expect(steps).toBeGreaterThan(50_000);
    expect(refusals.redeem).toBeGreaterThan(100);
    expect(refusals.adjust).toBeGreaterThan(10);
    expect(outcomes.owed).toBeGreaterThan(10);
    expect(outcomes.forgiven).toBeGreaterThan(10);
    expect(outcomes.fullRefunds).toBeGreaterThan(100);
  });
});
