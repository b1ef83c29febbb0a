import { SegmentationError } from "./segmentation-error";

/** A score from 1 (worst) to 5 (best). */
export type Score = 1 | 2 | 3 | 4 | 5;

/**
 * One customer with at least one completed order, as RFM sees them.
 *
 * - `recencyDays`: days from the last completed order to the scoring date (lower is better).
 * - `frequency`: the number of completed orders. Orders rather than purchase days (BG/NBD's
 *   count) because RFM ranks engagement as the shop sees it: two orders on one day are two
 *   baskets to the business, and this is the `order_count` shown beside the score.
 * - `monetaryMinor`: total spend over the customer's completed orders, in minor units. Total
 *   rather than average because DOMAIN.md ranks M by "highest spend": a customer who spent
 *   1,000 over ten orders is worth more to the shop than one who spent 200 once.
 */
export interface RfmInput {
  recencyDays: number;
  frequency: number;
  monetaryMinor: number | bigint;
}

/** The three scores of one customer. */
export interface RfmScores {
  r: Score;
  f: Score;
  m: Score;
}

/**
 * Where one dimension was cut: `lowerBounds[s - 2]` is the smallest value (in the scored
 * direction: for recency, the negated days) that gets score `s` for s = 2..5, or null when no
 * customer got that score because a tie covered its place.
 */
export interface QuintileCuts {
  lowerBounds: (number | null)[];
  /** How many customers got each score 1..5. */
  counts: [number, number, number, number, number];
}

/**
 * Scores values 1–5 by quintile, higher values getting higher scores, so that equal values
 * always get the same score and the five groups are as even as the ties allow.
 *
 * The rule, in the order of the sorted values: a "block" is a run of equal values; a cut can
 * only fall between two blocks. The cut under score s + 1 (s = 1..4) is the block boundary
 * nearest to position s · n / 5 (the lower one when two are equally near), and never at the
 * very start or end. So each cut is off its ideal place by at most half the tie block that
 * covers it, the lowest value always scores 1 and the highest 5, and a tie block wider than a
 * fifth leaves a score unused rather than splitting equal customers. When all values are equal
 * there is nothing to rank and everyone scores 3.
 *
 * @param values the values to score (any finite numbers).
 * @returns the score of each value in input order and the cuts.
 * @throws {SegmentationError} `INVALID_NUMBER` naming the position of a value that is not finite.
 * @example
 * quintileScores([10, 20, 30, 40, 50]).scores; // Uint8Array [1, 2, 3, 4, 5]
 * quintileScores([1, 1, 1, 1, 2, 3]).scores; // [1, 1, 1, 1, 4, 5]: ties never split
 */
export function quintileScores(values: ArrayLike<number>): {
  scores: Uint8Array;
  cuts: QuintileCuts;
} {
  const n = values.length;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new SegmentationError("INVALID_NUMBER", `value ${i} is not a finite number (${v})`, {
        index: i,
      });
    }
    // Adding 0 turns -0 into 0, so that the two are one block after sorting.
    sorted[i] = v + 0;
  }
  sorted.sort();

  // Internal block boundaries: positions p (0 < p < n) where sorted[p] differs from sorted[p-1].
  const boundaries: number[] = [];
  for (let p = 1; p < n; p++) if (sorted[p] !== sorted[p - 1]) boundaries.push(p);

  const cutPositions: number[] = [];
  if (boundaries.length > 0) {
    let j = 0;
    for (let s = 1; s <= 4; s++) {
      const target = (s * n) / 5;
      // Targets increase, so the nearest boundary only moves right: one pass over them.
      while (
        j + 1 < boundaries.length &&
        Math.abs(boundaries[j + 1]! - target) < Math.abs(boundaries[j]! - target)
      ) {
        j++;
      }
      cutPositions.push(boundaries[j]!);
    }
  }

  const lowerBounds = cutPositions.map((p) => sorted[p]!);
  const scores = new Uint8Array(n);
  const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    let score = 3;
    if (cutPositions.length > 0) {
      const v = values[i]! + 0;
      score = 1;
      for (const bound of lowerBounds) if (v >= bound) score++;
    }
    scores[i] = score;
    counts[score - 1]! += 1;
  }
  const shown: (number | null)[] = [];
  for (let s = 2; s <= 5; s++) {
    shown.push(counts[s - 1] === 0 ? null : (lowerBounds[s - 2] ?? null));
  }
  return { scores, cuts: { lowerBounds: shown, counts } };
}

function checkInput(c: RfmInput, i: number): void {
  if (!Number.isFinite(c.recencyDays) || c.recencyDays < 0) {
    throw new SegmentationError(
      "INVALID_NUMBER",
      `customer ${i}: recencyDays must be a number of days of at least 0 (got ${c.recencyDays})`,
      { index: i, field: "recencyDays" },
    );
  }
  if (!Number.isSafeInteger(c.frequency) || c.frequency < 1) {
    throw new SegmentationError(
      "INVALID_NUMBER",
      `customer ${i}: frequency must be a whole number of completed orders of at least 1 (got ${c.frequency}); customers without an order are prospects and get no RFM scores`,
      { index: i, field: "frequency" },
    );
  }
  const m = c.monetaryMinor;
  if (typeof m !== "bigint" && !Number.isSafeInteger(m)) {
    throw new SegmentationError(
      "INVALID_MONEY",
      `customer ${i}: monetaryMinor must be a whole number of minor units (got ${m})`,
      { index: i, field: "monetaryMinor" },
    );
  }
}

/**
 * Scores recency, frequency and monetary value 1–5 by quintile within the given customers
 * (5 = most recent, most frequent, highest spend), with {@link quintileScores}' tie rule:
 * identical customers always get identical scores.
 *
 * Money is ranked as a double: minor-unit totals above 2^53 (90 trillion in a two-decimal
 * currency) could merge into one tie, which only ever puts two customers in the same score.
 *
 * @param customers customers with at least one completed order; prospects are left out by the
 *   caller (they belong to the PROSPECTS group and have no scores).
 * @returns the scores in input order, and where each dimension was cut.
 * @throws {SegmentationError} `INVALID_NUMBER` / `INVALID_MONEY` naming the customer's position
 *   and field.
 * @example
 * computeRfmScores([
 *   { recencyDays: 3, frequency: 9, monetaryMinor: 90_00 },
 *   { recencyDays: 300, frequency: 1, monetaryMinor: 10_00 },
 * ]).scores; // [{ r: 5, f: 5, m: 5 }, { r: 1, f: 1, m: 1 }]
 */
export function computeRfmScores(customers: readonly RfmInput[]): {
  scores: RfmScores[];
  cuts: { r: QuintileCuts; f: QuintileCuts; m: QuintileCuts };
} {
  const n = customers.length;
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  const monetary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = customers[i]!;
    checkInput(c, i);
    // Fewer days since the last order is better: score the negated days.
    recency[i] = -c.recencyDays;
    frequency[i] = c.frequency;
    monetary[i] = Number(c.monetaryMinor);
  }
  const r = quintileScores(recency);
  const f = quintileScores(frequency);
  const m = quintileScores(monetary);
  const scores: RfmScores[] = new Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] = { r: r.scores[i] as Score, f: f.scores[i] as Score, m: m.scores[i] as Score };
  }
  return { scores, cuts: { r: r.cuts, f: f.cuts, m: m.cuts } };
}
