import { rmSync } from "node:fs";

/** Small helpers the benchmarks share: output, rounding, peak memory, clean-up. */

/** Progress and results on stdout; the last line a benchmark prints is its JSON summary. */
export const log = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/** Bytes as megabytes with one decimal. */
export const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

export const round = (n: number, digits = 0): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Starts watching resident memory; the returned function stops and gives the peak in bytes:
 * sampled every 50 ms, and the kernel's high-water mark (maxRSS) at the end, whichever is larger.
 */
export function watchMemory(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  timer.unref();
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  };
}

/**
 * After a database benchmark: drops its database and removes its files, or with BENCH_KEEP=1
 * keeps both (closing the connections, or the process would never exit) and says where they are.
 */
export async function cleanUp(
  db:
    | {
        name: string;
        dataSource: { isInitialized: boolean; destroy(): Promise<void> };
        drop(): Promise<void>;
      }
    | undefined,
  dir: string,
  keep: boolean,
): Promise<void> {
  if (keep) {
    if (db?.dataSource.isInitialized) await db.dataSource.destroy();
    process.stderr.write(`kept ${dir} and database ${db?.name}\n`);
    return;
  }
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
}

/** Runs a benchmark's main function; a failure goes to stderr with exit code 1. */
export function runBench(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${name} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
