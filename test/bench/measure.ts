/** Small helpers the benchmarks share: output, rounding and peak memory. */

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
