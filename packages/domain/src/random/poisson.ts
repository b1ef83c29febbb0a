import { sampleGamma } from "./gamma";
import { RandomParameterError, type Rng } from "./prng";

/**
 * Draws from the Poisson distribution with the given mean.
 *
 * For small means (< 30) Knuth's multiplication method (TAOCP vol. 2, §3.4.1); for larger
 * means Ahrens and Dieter's gamma-binomial decomposition ("Computer methods for sampling from
 * gamma, beta, Poisson and binomial distributions", Computing 12, 1974): draw the time of the
 * m-th arrival as Gamma(m, 1) and recurse on the remainder, so the cost grows only with
 * log(mean).
 *
 * @param rng uniform source.
 * @param mean mean μ >= 0.
 * @returns a non-negative integer.
 * @throws {RandomParameterError} when the mean is negative or not finite.
 * @example
 * samplePoisson(createRng(1), 3.5); // an integer, mean 3.5
 */
export function samplePoisson(rng: Rng, mean: number): number {
  if (!(mean >= 0) || !Number.isFinite(mean)) {
    throw new RandomParameterError(`samplePoisson: mean must be >= 0, got ${mean}`);
  }
  let mu = mean;
  let count = 0;
  while (mu >= 30) {
    const m = Math.floor(mu * 0.875);
    const t = sampleGamma(rng, m, 1);
    if (t > mu) {
      // The m-th arrival came after mu: the count is Binomial(m - 1, mu / t).
      return count + sampleBinomial(rng, m - 1, mu / t);
    }
    count += m;
    mu -= t;
  }
  const limit = Math.exp(-mu);
  let product = rng.next();
  while (product >= limit) {
    count++;
    product *= rng.next();
  }
  return count;
}

/** Binomial(n, p) by the beta-recursion of Ahrens and Dieter, linear only for n < 20. */
function sampleBinomial(rng: Rng, n: number, p: number): number {
  let count = 0;
  let trials = n;
  let prob = p;
  while (trials >= 20) {
    const i = Math.floor((trials + 1) / 2);
    const x = sampleGamma(rng, i, 1);
    const y = sampleGamma(rng, trials + 1 - i, 1);
    const beta = x / (x + y);
    if (beta <= prob) {
      count += i;
      trials -= i;
      prob = (prob - beta) / (1 - beta);
    } else {
      trials = i - 1;
      prob = prob / beta;
    }
  }
  for (let k = 0; k < trials; k++) if (rng.next() < prob) count++;
  return count;
}
