import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { computeRfmScores, quintileScores, type RfmInput } from "./rfm-scores";
import { SegmentationError } from "./segmentation-error";

const scoresOf = (values: number[]): number[] => Array.from(quintileScores(values).scores);

describe("quintileScores", () => {
  it("scores distinct values into five equal groups", () => {
    const values = Array.from({ length: 100 }, (_, i) => (i * 37) % 100);
    const { scores, cuts } = quintileScores(values);
    expect(cuts.counts).toEqual([20, 20, 20, 20, 20]);
    values.forEach((v, i) => expect(scores[i]).toBe(Math.floor(v / 20) + 1));
    expect(cuts.lowerBounds).toEqual([20, 40, 60, 80]);
  });

  it("never splits equal values and keeps the lowest at 1 and the highest at 5", () => {
    expect(scoresOf([1, 1, 1, 1, 2, 3])).toEqual([1, 1, 1, 1, 4, 5]);
    expect(scoresOf([7, 7, 7, 7, 7, 7, 7, 7, 1, 9])).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 1, 5]);
  });

  it("scores everyone 3 when all values are equal, and handles empty input", () => {
    expect(scoresOf([4, 4, 4])).toEqual([3, 3, 3]);
    expect(scoresOf([5])).toEqual([3]);
    expect(quintileScores([]).cuts.counts).toEqual([0, 0, 0, 0, 0]);
  });

  it("puts each cut at the block boundary nearest to its fifth", () => {
    // Blocks of sizes 3, 1, 1, 5 (n = 10): targets 2, 4, 6, 8; boundaries 3, 4, 5; the cuts
    // fall at 3, 4, 5 and 5, so score 4 is left empty rather than splitting the four 4s.
    const values = [1, 1, 1, 2, 3, 4, 4, 4, 4, 4];
    expect(scoresOf(values)).toEqual([1, 1, 1, 2, 3, 5, 5, 5, 5, 5]);
    expect(quintileScores(values).cuts.lowerBounds).toEqual([2, 3, null, 4]);
  });

  it("is as balanced as ties allow on random data with many ties", () => {
    const rng = createRng(11);
    const n = 10_000;
    const values = Array.from({ length: n }, () => Math.floor(rng.next() ** 3 * 40));
    const { scores, cuts } = quintileScores(values);
    const sorted = [...values].sort((a, b) => a - b);
    const blockSize = (v: number): number => values.filter((x) => x === v).length;
    let below = 0;
    for (let s = 1; s <= 4; s++) {
      below += cuts.counts[s - 1]!;
      const target = (s * n) / 5;
      // The cut is off its target by at most half of the tie block at the target.
      expect(Math.abs(below - target)).toBeLessThanOrEqual(
        blockSize(sorted[Math.floor(target)]!) / 2,
      );
    }
    // Scores never go down as the value goes up, and equal values share one score.
    const order = values.map((v, i) => [v, scores[i]!] as const).sort((a, b) => a[0] - b[0]);
    const broken = order.filter(
      ([v, s], i) =>
        i > 0 && (s < order[i - 1]![1] || (v === order[i - 1]![0] && s !== order[i - 1]![1])),
    );
    expect(broken).toEqual([]);
  });

  it("rejects a value that is not finite, naming its position", () => {
    expect(() => quintileScores([1, Number.NaN])).toThrow(/value 1 is not a finite number/);
  });

  it("treats -0 and 0 as one value", () => {
    expect(scoresOf([-0, 0, 1])).toEqual([1, 1, 5]);
  });
});

describe("computeRfmScores", () => {
  it("scores recent, frequent, big spenders 5 and the opposite 1", () => {
    const customers: RfmInput[] = [
      { recencyDays: 3, frequency: 9, monetaryMinor: 9000 },
      { recencyDays: 300, frequency: 1, monetaryMinor: 1000 },
    ];
    expect(computeRfmScores(customers).scores).toEqual([
      { r: 5, f: 5, m: 5 },
      { r: 1, f: 1, m: 1 },
    ]);
  });

  it("gives identical customers identical scores wherever they stand in the input", () => {
    const rng = createRng(5);
    const base: RfmInput[] = Array.from({ length: 997 }, () => ({
      recencyDays: Math.floor(rng.next() * 400),
      frequency: 1 + Math.floor(rng.next() ** 2 * 12),
      monetaryMinor: Math.floor(rng.next() * 50_000),
    }));
    const twin = { recencyDays: 120, frequency: 3, monetaryMinor: 12_345 };
    const customers = [twin, ...base, { ...twin }, ...base.slice(0, 100), { ...twin }];
    const { scores } = computeRfmScores(customers);
    expect(scores[base.length + 1]).toEqual(scores[0]);
    expect(scores[customers.length - 1]).toEqual(scores[0]);
    base
      .slice(0, 100)
      .forEach((_, i) => expect(scores[base.length + 2 + i]).toEqual(scores[1 + i]));
  });

  it("accepts bigint money and does not change its input", () => {
    const customers: RfmInput[] = [
      { recencyDays: 10, frequency: 2, monetaryMinor: 5n },
      { recencyDays: 20, frequency: 1, monetaryMinor: 7 },
    ];
    const copy = customers.map((c) => ({ ...c }));
    expect(computeRfmScores(customers).scores.map((s) => s.m)).toEqual([1, 5]);
    expect(customers).toEqual(copy);
  });

  it("refuses bad input, naming the customer and the field", () => {
    const ok = { recencyDays: 1, frequency: 1, monetaryMinor: 1 };
    const bad =
      (c: Partial<RfmInput>): (() => unknown) =>
      () =>
        computeRfmScores([ok, { ...ok, ...c }]);
    expect(bad({ recencyDays: -1 })).toThrow(/customer 1: recencyDays/);
    expect(bad({ frequency: 0 })).toThrow(/customer 1: frequency .* prospects/);
    expect(bad({ monetaryMinor: 1.5 })).toThrow(
      expect.objectContaining({
        code: "INVALID_MONEY",
        location: { index: 1, field: "monetaryMinor" },
      }),
    );
    expect(bad({ frequency: 1.5 })).toThrow(SegmentationError);
  });
});
