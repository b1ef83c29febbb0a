import { describe, expect, it } from "vitest";
import { evaluateHoldout, toSummaryColumns, type Transaction } from "../clv";
import { holdoutDiagnostics } from "./holdout-diagnostics";
import { summaryFromAggregate } from "./summary-from-aggregate";
import { aggregateTransactions, syntheticTransactions } from "./test-transactions";

/** The inputs holdoutDiagnostics gets from SQL, computed here from transactions. */
function holdoutCounts(
  transactions: readonly Transaction[],
  calibrationEnd: number,
  holdoutEnd: number,
) {
  const calibration = aggregateTransactions(transactions, calibrationEnd);
  const full = aggregateTransactions(transactions, holdoutEnd);
  const ids = [...calibration.keys()];
  const actual = ids.map((id) => full.get(id)!.purchaseDays - calibration.get(id)!.purchaseDays);
  const byDay = new Map<number, Set<string>>();
  for (const t of transactions) {
    const day = t.date as number;
    if (day <= calibrationEnd || day > holdoutEnd || !calibration.has(t.customerId)) continue;
    const set = byDay.get(day) ?? new Set<string>();
    set.add(t.customerId);
    byDay.set(day, set);
  }
  const summaries = ids.map((id) => ({
    customerId: id,
    ...summaryFromAggregate(calibration.get(id)!, calibrationEnd, "week", 2),
  }));
  return {
    ids,
    columns: toSummaryColumns(summaries),
    actual,
    actualByDay: [...byDay].map(([day, set]) => [day, set.size] as const),
  };
}

describe("holdoutDiagnostics", () => {
  const transactions = syntheticTransactions(3000, 11);
  const calibrationEnd = 19906;
  const holdoutEnd = 20088;
  const reference = evaluateHoldout(transactions, { calibrationEnd, holdoutEnd, timeUnit: "week" });
  const counts = holdoutCounts(transactions, calibrationEnd, holdoutEnd);
  const result = holdoutDiagnostics({
    params: reference.calibration.bgnbd.params,
    calibration: counts.columns,
    actual: counts.actual,
    actualByDay: counts.actualByDay,
    calibrationEnd,
    holdoutEnd,
    timeUnit: "week",
  });

  it("tracks cumulative actual and predicted repeat purchases as evaluateHoldout does from transactions", () => {
    expect(result.tracking).toHaveLength(reference.tracking.length);
    result.tracking.forEach((point, k) => {
      expect(point.period).toBe(reference.tracking[k]!.period);
      expect(point.actual).toBe(reference.tracking[k]!.actual);
      expect(point.predicted).toBeCloseTo(reference.tracking[k]!.predicted, 6);
    });
    expect(result.actual).toBe(reference.holdout.actual);
    expect(result.predicted).toBeCloseTo(reference.holdout.predicted, 6);
    expect(result.rmse).toBeCloseTo(reference.holdout.rmse, 9);
    expect(result.mae).toBeCloseTo(reference.holdout.mae, 9);
    expect(result.correlation).toBeCloseTo(reference.holdout.correlation, 9);
    expect(result.customers).toBe(reference.customers.length);
  });

  it("groups customers by calibration frequency 0..7+ with mean actual and predicted purchases", () => {
    const byId = new Map(reference.customers.map((c) => [c.customerId, c]));
    const expected = new Map<number, { n: number; actual: number; predicted: number }>();
    counts.ids.forEach((id, i) => {
      const g = Math.min(7, counts.columns.frequency[i]!);
      const e = expected.get(g) ?? { n: 0, actual: 0, predicted: 0 };
      e.n += 1;
      e.actual += byId.get(id)!.actual;
      e.predicted += byId.get(id)!.predicted;
      expected.set(g, e);
    });
    expect(result.calibrationSeries.map((p) => p.purchases)).toEqual(
      [...expected.keys()].sort((a, b) => a - b),
    );
    for (const point of result.calibrationSeries) {
      const e = expected.get(point.purchases)!;
      expect(point.customers).toBe(e.n);
      expect(point.actual).toBeCloseTo(e.actual / e.n, 9);
      expect(point.predicted).toBeCloseTo(e.predicted / e.n, 9);
    }
    expect(result.calibrationSeries.reduce((s, p) => s + p.customers, 0)).toBe(counts.ids.length);
  });

  it("uses monthly tracking periods for a model fitted in months", () => {
    const monthly = holdoutDiagnostics({
      params: reference.calibration.bgnbd.params,
      calibration: counts.columns,
      actual: counts.actual,
      actualByDay: counts.actualByDay,
      calibrationEnd,
      holdoutEnd,
      timeUnit: "month",
    });
    expect(monthly.tracking).toHaveLength(Math.ceil(182 / 30.4375));
    expect(monthly.tracking.at(-1)!.actual).toBe(result.actual);
  });

  it("refuses mismatched counts and an empty holdout", () => {
    const base = {
      params: reference.calibration.bgnbd.params,
      calibration: counts.columns,
      actual: counts.actual,
      actualByDay: [],
      calibrationEnd,
      holdoutEnd,
      timeUnit: "week" as const,
    };
    expect(() => holdoutDiagnostics({ ...base, actual: [1] })).toThrow(RangeError);
    expect(() => holdoutDiagnostics({ ...base, holdoutEnd: calibrationEnd })).toThrow(RangeError);
  });
});
