import { describe, expect, it } from "vitest";
import { createRng, sampleBeta, sampleExponential, sampleGamma } from "../random";
import { evaluateHoldout } from "./evaluate-holdout";
import type { Transaction } from "./purchase-days";

/** Dated purchases from the BG/NBD process (rates per day), customers joining over 84 days. */
function datedTransactions(customers: number, seed: number): Transaction[] {
  const rng = createRng(seed);
  const out: Transaction[] = [];
  for (let i = 0; i < customers; i++) {
    const id = `c${i}`;
    const birth = Math.floor(rng.next() * 84);
    out.push({ customerId: id, date: birth, amount: 10 });
    const lambda = sampleGamma(rng, 0.25, 7 / 4.4 / 7 / 7); // ≈ CDNOW rates, per day
    const p = sampleBeta(rng, 0.8, 2.4);
    const spend = sampleGamma(rng, 4, 5); // each customer's typical spend
    let t = birth;
    for (;;) {
      t += sampleExponential(rng, lambda);
      if (t >= 546) break;
      out.push({ customerId: id, date: Math.floor(t), amount: spend * (0.5 + rng.next()) });
      if (rng.next() < p) break;
    }
  }
  return out;
}

const transactions = datedTransactions(4000, 17);
const calibrationEnd = 272;
const holdoutEnd = 545;

describe("evaluateHoldout", () => {
  const result = evaluateHoldout(transactions, { calibrationEnd, holdoutEnd, timeUnit: "week" });

  it("counts the actual holdout repeat transactions per customer-day", () => {
    const days = new Map<string, Set<number>>();
    for (const t of transactions) {
      const d = t.date as number;
      if (d > calibrationEnd && d <= holdoutEnd) {
        if (!days.has(t.customerId)) days.set(t.customerId, new Set());
        days.get(t.customerId)!.add(Math.floor(d));
      }
    }
    const expected = [...days.values()].reduce((sum, set) => sum + set.size, 0);
    expect(result.holdout.actual).toBe(expected);
    expect(result.customers.reduce((sum, c) => sum + c.actual, 0)).toBe(expected);
    expect(result.holdout.periods).toBe(39);
  });

  it("forecasts the holdout total within sampling error", () => {
    const residual = Math.sqrt(
      result.customers.reduce((sum, c) => sum + (c.actual - c.predicted) ** 2, 0),
    );
    expect(Math.abs(result.holdout.actual - result.holdout.predicted)).toBeLessThan(4 * residual);
    expect(result.holdout.correlation).toBeGreaterThan(0.3);
    expect(result.holdout.rmse).toBeGreaterThan(result.holdout.mae * 0.99);
  });

  it("tracks cumulative actual and predicted by week, ending at the totals", () => {
    const { tracking } = result;
    expect(tracking.map((p) => p.period)).toEqual(Array.from({ length: 39 }, (_, k) => k + 1));
    for (let k = 1; k < tracking.length; k++) {
      expect(tracking[k]!.actual).toBeGreaterThanOrEqual(tracking[k - 1]!.actual);
      expect(tracking[k]!.predicted).toBeGreaterThan(tracking[k - 1]!.predicted);
    }
    expect(tracking.at(-1)!.actual).toBe(result.holdout.actual);
    expect(tracking.at(-1)!.predicted).toBeCloseTo(result.holdout.predicted, 8);
    expect(result.holdout.predicted).toBeCloseTo(
      result.customers.reduce((sum, c) => sum + c.predicted, 0),
      6,
    );
  });

  it("leaves out customers who first buy in the holdout", () => {
    const late = [
      ...transactions,
      { customerId: "late", date: 300, amount: 1 },
      { customerId: "late", date: 310, amount: 1 },
    ];
    const withLate = evaluateHoldout(late, { calibrationEnd, holdoutEnd, timeUnit: "week" });
    expect(withLate.holdout.actual).toBe(result.holdout.actual);
    expect(withLate.customers.some((c) => c.customerId === "late")).toBe(false);
  });

  it("rejects a holdout that does not follow the calibration period", () => {
    expect(() =>
      evaluateHoldout(transactions, {
        calibrationEnd,
        holdoutEnd: calibrationEnd,
        timeUnit: "week",
      }),
    ).toThrow(
      expect.objectContaining({
        code: "INVALID_PARAMETER",
        message: expect.stringMatching(/must be after the calibration end/),
      }),
    );
    expect(() =>
      evaluateHoldout(transactions, { calibrationEnd, holdoutEnd, timeUnit: "week", now: 400 }),
    ).toThrow(expect.objectContaining({ code: "FUTURE_DATE" }));
  });
});
