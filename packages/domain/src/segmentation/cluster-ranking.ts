import type { MinorUnits } from "./tier-policy";
import { SegmentationError } from "./segmentation-error";

/**
 * Ranks K-Means clusters by the mean CLV of their customers, 1 = highest, so that clusters get
 * stable names and tiers (DOMAIN.md: "Clusters are ranked by mean CLV to name them"). Means are
 * compared exactly (as sum_a · count_b against sum_b · count_a in bigint), a tie goes to the
 * lower cluster number, and a cluster with no CLV at all ranks after every other.
 *
 * @param labels cluster of each customer, 0..k-1.
 * @param clvMinor CLV of each customer in minor units, null when not scored (left out of means).
 * @param k number of clusters.
 * @returns `ranks[c]` = rank of cluster c, 1..k.
 * @throws {SegmentationError} `INVALID_SHAPE` when the lengths differ, `INVALID_NUMBER` /
 *   `INVALID_MONEY` naming the customer of a bad label or amount.
 * @example
 * rankClustersByMeanClv(Int32Array.of(0, 1, 1), [100, 500, 300], 2); // [2, 1]
 */
export function rankClustersByMeanClv(
  labels: ArrayLike<number>,
  clvMinor: readonly (MinorUnits | null)[],
  k: number,
): number[] {
  if (labels.length !== clvMinor.length) {
    throw new SegmentationError(
      "INVALID_SHAPE",
      `labels has ${labels.length} entries and clvMinor ${clvMinor.length}`,
      { field: "clvMinor" },
    );
  }
  const sums = new Array<bigint>(k).fill(0n);
  const counts = new Array<bigint>(k).fill(0n);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= k) {
      throw new SegmentationError(
        "INVALID_NUMBER",
        `customer ${i}: the cluster ${c} is not one of 0..${k - 1}`,
        { index: i, field: "labels" },
      );
    }
    const v = clvMinor[i];
    if (v === null || v === undefined) continue;
    if (typeof v !== "bigint" && !Number.isSafeInteger(v)) {
      throw new SegmentationError(
        "INVALID_MONEY",
        `customer ${i}: clvMinor must be a whole number of minor units or null (got ${v})`,
        { index: i, field: "clvMinor" },
      );
    }
    sums[c]! += BigInt(v);
    counts[c]! += 1n;
  }
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => {
    if (counts[a] === 0n || counts[b] === 0n) {
      return counts[a] === 0n && counts[b] === 0n ? a - b : counts[a] === 0n ? 1 : -1;
    }
    const left = sums[a]! * counts[b]!;
    const right = sums[b]! * counts[a]!;
    return left > right ? -1 : left < right ? 1 : a - b;
  });
  const ranks = new Array<number>(k);
  order.forEach((c, i) => {
    ranks[c] = i + 1;
  });
  return ranks;
}
