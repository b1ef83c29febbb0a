/**
 * CLV benchmark (`npm run bench:clv`): simulates 1,000,000 customers from the BG/NBD and
 * Gamma-Gamma processes (CDNOW-like parameters, weekly time unit, purchases recorded by day as
 * in real order data, customers acquired over 12 weeks and observed for 52), then fits BG/NBD
 * (identical (x, t_x, T) rows counted once with a weight; nothing is rounded beyond the day
 * resolution the data already have) and Gamma-Gamma. Progress goes to stderr; the last stdout
 * line is one JSON object with the figures. Target: fit ≤ 3 s and peak RSS ≤ 400 MB.
 *
 * Environment: BENCH_CUSTOMERS (default 1000000), BENCH_SEED (default 1).
 */
import {
  fitBgNbd,
  fitGammaGamma,
  simulateBgNbdCustomers,
  weightSummaries,
} from "@valuetier/domain";

import { watchMemory } from "./measure";
const customers = Number(process.env.BENCH_CUSTOMERS || 1_000_000);
const seed = Number(process.env.BENCH_SEED || 1);
const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const spendTruth = { p: 6.25, q: 3.74, v: 15.44 };

const progress = (text: string) => process.stderr.write(`${text}\n`);
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

function main(): void {
  const peakRss = watchMemory();
  progress(`simulating ${customers.toLocaleString("en")} customers (seed ${seed})`);
  let start = process.hrtime.bigint();
  const data = simulateBgNbdCustomers(truth, {
    customers,
    T: 52,
    birthSpread: 12,
    resolution: 1 / 7,
    seed,
    gammaGamma: spendTruth,
  });
  const simulateSeconds = seconds(start);
  progress(`  ${round(simulateSeconds, 2)} s`);

  progress("fitting BG/NBD");
  start = process.hrtime.bigint();
  const weighted = weightSummaries(data);
  const bgnbd = fitBgNbd(weighted);
  const bgnbdSeconds = seconds(start);
  progress(
    `  ${round(bgnbdSeconds, 2)} s, ${weighted.frequency.length.toLocaleString("en")} distinct (x, t_x, T) rows, ` +
      `r=${round(bgnbd.params.r)} alpha=${round(bgnbd.params.alpha)} a=${round(bgnbd.params.a)} b=${round(bgnbd.params.b)}`,
  );

  progress("fitting Gamma-Gamma");
  start = process.hrtime.bigint();
  const gammaGamma = fitGammaGamma(data);
  const gammaGammaSeconds = seconds(start);
  progress(
    `  ${round(gammaGammaSeconds, 2)} s on ${gammaGamma.customers.toLocaleString("en")} repeat customers, ` +
      `p=${round(gammaGamma.params.p)} q=${round(gammaGamma.params.q)} v=${round(gammaGamma.params.v)}`,
  );

  const fitSeconds = bgnbdSeconds + gammaGammaSeconds;
  const peakRssMb = round(peakRss() / 1024 / 1024, 1);
  progress(
    `fit total ${round(fitSeconds, 2)} s (target ≤ 3 s), peak RSS ${peakRssMb} MB (target ≤ 400 MB)`,
  );
  process.stdout.write(
    JSON.stringify({
      bench: "clv",
      customers,
      fitSeconds: round(fitSeconds),
      bgnbdSeconds: round(bgnbdSeconds),
      gammaGammaSeconds: round(gammaGammaSeconds),
      simulateSeconds: round(simulateSeconds),
      distinctRows: weighted.frequency.length,
      repeatCustomers: bgnbd.repeatCustomers,
      bgnbd: { ...bgnbd.params, iterations: bgnbd.iterations, method: bgnbd.method },
      gammaGamma: { ...gammaGamma.params, iterations: gammaGamma.iterations },
      peakRssMb,
      withinTarget: fitSeconds <= 3 && peakRssMb <= 400,
    }) + "\n",
  );
}

main();
