import { createRng, sampleNormal } from "../random";

/**
 * Test data for the clustering specs: `perCluster` points around each of the given centres
 * with standard deviation `spread`, row-major, clusters in order.
 */
export function gaussianBlobs(
  centres: readonly (readonly number[])[],
  perCluster: number,
  spread: number,
  seed: number,
): { points: Float64Array; dimensions: number; truth: Int32Array } {
  const rng = createRng(seed);
  const d = centres[0]!.length;
  const n = centres.length * perCluster;
  const points = new Float64Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / perCluster);
    truth[i] = c;
    for (let j = 0; j < d; j++) points[i * d + j] = centres[c]![j]! + spread * sampleNormal(rng);
  }
  return { points, dimensions: d, truth };
}
