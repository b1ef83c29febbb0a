import type { SummaryColumns } from "./customer-summary";

/**
 * Distinct (x, t_x, T) rows with the number of customers on each. Customers with the same
 * triple contribute identical BG/NBD likelihood terms and predictions, so models evaluate
 * each distinct row once and multiply by its weight (as lifetimes does with `weights`).
 * Values are compared exactly: nothing is rounded here.
 */
export interface WeightedSummaries {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** For each input customer, the index of its distinct row. */
  rowOfCustomer: Int32Array;
  /** Number of input customers (the sum of the weights). */
  customers: number;
}

const scratch = new Float64Array(1);
const bits = new Uint32Array(scratch.buffer);

/** 32-bit hash of a double's bit pattern, mixed into h (murmur3-style finaliser steps). */
function mix(h: number, value: number): number {
  scratch[0] = value + 0; // + 0 turns −0 into +0 so equal values hash equally
  h = Math.imul(h ^ bits[0]!, 0x85ebca6b);
  h = (h << 13) | (h >>> 19);
  h = Math.imul(h ^ bits[1]!, 0xc2b2ae35);
  h = (h << 13) | (h >>> 19);
  return h;
}

/**
 * Per-customer values from per-row ones: `values[rowOfCustomer[i]]` for each customer i.
 *
 * @param values one value per distinct row.
 * @param rowOfCustomer each customer's row ({@link WeightedSummaries.rowOfCustomer}).
 * @returns one value per customer.
 */
export function valuesPerCustomer(values: Float64Array, rowOfCustomer: Int32Array): Float64Array {
  const out = new Float64Array(rowOfCustomer.length);
  for (let i = 0; i < rowOfCustomer.length; i++) out[i] = values[rowOfCustomer[i]!]!;
  return out;
}

/**
 * Groups identical (frequency, recency, T) rows, using an open-addressing hash table on the
 * exact bit patterns (linear in the number of customers; no sorting, no string keys).
 *
 * @param columns per-customer summaries (already validated).
 * @returns the distinct rows in order of first appearance, their weights and the row of each
 *   customer.
 * @example
 * const w = weightSummaries({ frequency: Float64Array.of(0, 0), recency: Float64Array.of(0, 0), T: Float64Array.of(5, 5) });
 * w.weight; // Float64Array [2]
 */
export function weightSummaries(
  columns: Pick<SummaryColumns, "frequency" | "recency" | "T">,
): WeightedSummaries {
  const n = columns.frequency.length;
  let capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  const rowOfCustomer = new Int32Array(n);
  const firstCustomer = new Int32Array(n);
  const counts = new Float64Array(n);
  let rows = 0;
  const { frequency, recency, T } = columns;
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    const tx = recency[i]!;
    const t = T[i]!;
    let h = mix(mix(mix(0x9747b28c, x), tx), t);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    let slot = h & mask;
    for (;;) {
      const row = slots[slot]!;
      if (row === -1) {
        slots[slot] = rows;
        firstCustomer[rows] = i;
        counts[rows] = 1;
        rowOfCustomer[i] = rows;
        rows++;
        break;
      }
      const j = firstCustomer[row]!;
      if (frequency[j] === x && recency[j] === tx && T[j] === t) {
        counts[row]! += 1;
        rowOfCustomer[i] = row;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  const out: WeightedSummaries = {
    frequency: new Float64Array(rows),
    recency: new Float64Array(rows),
    T: new Float64Array(rows),
    weight: counts.slice(0, rows),
    rowOfCustomer,
    customers: n,
  };
  for (let r = 0; r < rows; r++) {
    const j = firstCustomer[r]!;
    out.frequency[r] = frequency[j]!;
    out.recency[r] = recency[j]!;
    out.T[r] = T[j]!;
  }
  return out;
}
