/**
 * CLV benchmark (`npm run bench:clv`): simulates 1,000,000 customers from the BG/NBD and
 * Gamma-Gamma processes (CDNOW-like parameters, weekly time unit, purchases recorded by day as
 * in real order data, customers acquired over 12 weeks and observed for 52), writes them as a
 * summary CSV (customer_id,frequency,recency,T,monetary_value; times unrounded, spend in cents)
 * and runs the real command, `valuetier clv fit --input … --json`, as its own process: the
 * headline `seconds` is that whole process (start-up, reading the file, both fits, output) and
 * `peakRssMb` its peak resident memory. Target: ≤ 2 s and ≤ 400 MB.
 *
 * For comparison it also fits the same columns in this process (`fitSeconds`: BG/NBD on the
 * identical (x, t_x, T) rows counted once with a weight, plus Gamma-Gamma) and checks that the
 * command found the same BG/NBD estimates. Progress goes to stderr; the last stdout line is
 * one JSON object with the figures.
 *
 * Environment: BENCH_CUSTOMERS (default 1000000), BENCH_SEED (default 1), BENCH_KEEP=1 keeps
 * the CSV file.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import {
  fitBgNbd,
  fitGammaGamma,
  simulateBgNbdCustomers,
  weightSummaries,
  type SummaryColumns,
} from "@valuetier/domain";

import { runBench, watchMemory } from "./measure";
const customers = Number(process.env.BENCH_CUSTOMERS || 1_000_000);
const seed = Number(process.env.BENCH_SEED || 1);
const keep = process.env.BENCH_KEEP === "1";
const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const spendTruth = { p: 6.25, q: 3.74, v: 15.44 };

const progress = (text: string) => process.stderr.write(`${text}\n`);
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Writes the summary CSV in 1 MB pieces; returns its size in bytes. */
function writeSummaryCsv(file: string, data: SummaryColumns): number {
  const fd = openSync(file, "w");
  let size = 0;
  try {
    let chunk = "customer_id,frequency,recency,T,monetary_value\n";
    const n = data.frequency.length;
    for (let i = 0; i < n; i++) {
      // Spend in cents as a store would report it; x, t_x and T exactly as simulated.
      const spend = (Math.round(data.monetary![i]! * 100) / 100).toFixed(2);
      chunk += `C${i + 1},${data.frequency[i]},${data.recency[i]},${data.T[i]},${spend}\n`;
      if (chunk.length >= 1 << 20 || i === n - 1) {
        size += writeSync(fd, chunk);
        chunk = "";
      }
    }
  } finally {
    closeSync(fd);
  }
  return size;
}

/**
 * The child's own high-water mark and CPU time, written as it exits (the parent cannot ask
 * for them). CPU time is the figure a busy shared machine disturbs least.
 */
const RSS_HOOK = `process.on("exit", () => { const u = process.resourceUsage(); require("node:fs").writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ maxRss: u.maxRSS * 1024, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 })); });`;

interface CliRun {
  seconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  report: {
    customers: number;
    repeatCustomers: number;
    bgnbd: { r: number; alpha: number; a: number; b: number };
    gammaGamma: { p: number; q: number; v: number } | null;
  };
}

/** Runs `valuetier clv fit` as a process of its own and times it from spawn to exit. */
async function runCliFit(dir: string, input: string): Promise<CliRun> {
  const hook = path.join(dir, "rss-hook.js");
  const rssFile = path.join(dir, "rss");
  const hookFd = openSync(hook, "w");
  writeSync(hookFd, RSS_HOOK);
  closeSync(hookFd);
  const bin = require.resolve("@valuetier/cli/bin/valuetier.js");
  const args = ["--require", hook, bin, "clv", "fit", "--input", input, "--json"];
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, BENCH_RSS_FILE: rssFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  const elapsed = seconds(start);
  if (code !== 0) throw new Error(`valuetier clv fit exited with ${code}:\n${stderr}`);
  const usage = JSON.parse(readFileSync(rssFile, "utf8")) as { maxRss: number; cpu: number };
  return {
    seconds: elapsed,
    cpuSeconds: usage.cpu,
    peakRssBytes: usage.maxRss,
    report: JSON.parse(stdout) as CliRun["report"],
  };
}

async function main(): Promise<void> {
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

  progress("fitting BG/NBD in this process");
  start = process.hrtime.bigint();
  const weighted = weightSummaries(data);
  const bgnbd = fitBgNbd(weighted);
  const bgnbdSeconds = seconds(start);
  progress(
    `  ${round(bgnbdSeconds, 2)} s, ${weighted.frequency.length.toLocaleString("en")} distinct (x, t_x, T) rows, ` +
      `r=${round(bgnbd.params.r)} alpha=${round(bgnbd.params.alpha)} a=${round(bgnbd.params.a)} b=${round(bgnbd.params.b)}`,
  );

  progress("fitting Gamma-Gamma in this process");
  start = process.hrtime.bigint();
  const gammaGamma = fitGammaGamma(data);
  const gammaGammaSeconds = seconds(start);
  progress(
    `  ${round(gammaGammaSeconds, 2)} s on ${gammaGamma.customers.toLocaleString("en")} repeat customers, ` +
      `p=${round(gammaGamma.params.p)} q=${round(gammaGamma.params.q)} v=${round(gammaGamma.params.v)}`,
  );
  const fitSeconds = bgnbdSeconds + gammaGammaSeconds;
  const inProcessPeakRssMb = round(peakRss() / 1024 / 1024, 1);

  const dir = mkdtempSync(path.join(tmpdir(), "valuetier-bench-clv-"));
  try {
    const input = path.join(dir, "summary.csv");
    const bytes = writeSummaryCsv(input, data);
    progress(`wrote ${input} (${round(bytes / 1024 / 1024, 1)} MB)`);
    progress("running valuetier clv fit --input summary.csv --json");
    const cli = await runCliFit(dir, input);
    const peakRssMb = round(cli.peakRssBytes / 1024 / 1024, 1);
    progress(
      `  ${round(cli.seconds, 2)} s whole process (target ≤ 2 s; ${round(cli.cpuSeconds, 2)} s of CPU), ` +
        `peak RSS ${peakRssMb} MB (target ≤ 400 MB), load average ${loadavg()[0]!.toFixed(1)}`,
    );
    const p = cli.report.bgnbd;
    const sameFit = (["r", "alpha", "a", "b"] as const).every(
      (k) => Math.abs(p[k] - bgnbd.params[k]) <= 1e-6 * Math.abs(bgnbd.params[k]),
    );
    if (!sameFit) {
      progress(
        `warning: the command's BG/NBD estimates differ from this process's: ${JSON.stringify(p)}`,
      );
    }
    process.stdout.write(
      JSON.stringify({
        bench: "clv",
        customers,
        seconds: round(cli.seconds),
        cpuSeconds: round(cli.cpuSeconds),
        peakRssMb,
        loadAverage: round(loadavg()[0]!, 1),
        fileMb: round(bytes / 1024 / 1024, 1),
        sameFit,
        fitSeconds: round(fitSeconds),
        bgnbdSeconds: round(bgnbdSeconds),
        gammaGammaSeconds: round(gammaGammaSeconds),
        simulateSeconds: round(simulateSeconds),
        inProcessPeakRssMb,
        distinctRows: weighted.frequency.length,
        repeatCustomers: bgnbd.repeatCustomers,
        bgnbd: { ...bgnbd.params, iterations: bgnbd.iterations, method: bgnbd.method },
        gammaGamma: { ...gammaGamma.params, iterations: gammaGamma.iterations },
        cli: { bgnbd: cli.report.bgnbd, gammaGamma: cli.report.gammaGamma },
        withinTarget: cli.seconds <= 2 && peakRssMb <= 400 && sameFit,
      }) + "\n",
    );
  } finally {
    if (keep) progress(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

runBench("bench:clv", main);
