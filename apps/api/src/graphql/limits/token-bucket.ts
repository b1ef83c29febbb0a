/** The outcome of taking from a bucket. */
export type TakeResult =
  { ok: true; remaining: number } | { ok: false; remaining: number; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Past this many buckets, buckets that have filled up again are dropped (they equal a new one). */
const SWEEP_ABOVE = 10_000;
/**
 * Never more buckets than this (about 10 MB): past it the oldest are dropped, which hands their
 * callers a full bucket again. Only a caller with this many addresses at once gains from it.
 */
const MAX_BUCKETS = 100_000;

/**
 * Token buckets, one per key, in this process's memory: each starts full at `capacity`, refills
 * at `refillPerSecond`, and a request takes its cost from it or is refused with the seconds to
 * wait. A refused request takes nothing.
 *
 * @example
 * const buckets = new TokenBuckets(100, 10);
 * buckets.take("key:1", 80); // { ok: true, remaining: 20 }
 * buckets.take("key:1", 50); // { ok: false, remaining: 20, retryAfterSeconds: 3 }
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(capacity > 0) || !(refillPerSecond > 0))
      throw new RangeError(
        `token bucket needs a positive capacity and refill rate, got ${capacity} and ${refillPerSecond}`,
      );
  }

  /**
   * Takes `amount` from the bucket of `key` when it holds that much.
   *
   * @throws RangeError when `amount` is more than the capacity: no wait would ever be enough.
   */
  take(key: string, amount: number): TakeResult {
    if (amount > this.capacity)
      throw new RangeError(`cannot take ${amount} from buckets of ${this.capacity}`);
    const now = this.now();
    const bucket = this.buckets.get(key);
    const tokens = bucket ? this.levelAt(bucket, now) : this.capacity;
    if (tokens >= amount) {
      if (!bucket && this.buckets.size >= SWEEP_ABOVE) this.sweep(now);
      this.buckets.set(key, { tokens: tokens - amount, at: now });
      return { ok: true, remaining: tokens - amount };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((amount - tokens) / this.refillPerSecond));
    return { ok: false, remaining: tokens, retryAfterSeconds };
  }

  /** Buckets currently held (full ones may already be gone). */
  get size(): number {
    return this.buckets.size;
  }

  private levelAt(bucket: Bucket, now: number): number {
    const refilled = bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.refillPerSecond;
    return Math.min(this.capacity, refilled);
  }

  /** At most once a second, so that many callers at once do not make every request O(n). */
  private sweep(now: number): void {
    if (now - this.lastSweep >= 1000) {
      this.lastSweep = now;
      for (const [key, bucket] of this.buckets) {
        if (this.levelAt(bucket, now) >= this.capacity) this.buckets.delete(key);
      }
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < MAX_BUCKETS) break;
      this.buckets.delete(key);
    }
  }
}
