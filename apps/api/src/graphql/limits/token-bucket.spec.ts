import { describe, expect, it } from "vitest";
import { TokenBuckets } from "./token-bucket";

function clock(start = 0) {
  const c = { now: start, read: () => c.now };
  return c;
}

describe("TokenBuckets", () => {
  it("takes from a full bucket until it is spent, then says how long to wait", () => {
    const time = clock();
    const buckets = new TokenBuckets(100, 10, time.read);
    expect(buckets.take("k", 80)).toEqual({ ok: true, remaining: 20 });
    expect(buckets.take("k", 50)).toEqual({ ok: false, remaining: 20, retryAfterSeconds: 3 });
    // The refused request took nothing.
    expect(buckets.take("k", 20)).toEqual({ ok: true, remaining: 0 });
  });

  it("refills at the rate given, up to the capacity", () => {
    const time = clock();
    const buckets = new TokenBuckets(100, 10, time.read);
    buckets.take("k", 100);
    time.now += 2_500;
    expect(buckets.take("k", 25)).toEqual({ ok: true, remaining: 0 });
    time.now += 3_600_000;
    expect(buckets.take("k", 1)).toEqual({ ok: true, remaining: 99 });
  });

  it("keeps one bucket per key", () => {
    const buckets = new TokenBuckets(10, 1, clock().read);
    expect(buckets.take("a", 10).ok).toBe(true);
    expect(buckets.take("b", 10).ok).toBe(true);
    expect(buckets.take("a", 1).ok).toBe(false);
  });

  it("asks for at least one second, never zero", () => {
    const buckets = new TokenBuckets(10, 1000, clock().read);
    buckets.take("k", 10);
    expect(buckets.take("k", 5)).toMatchObject({ ok: false, retryAfterSeconds: 1 });
  });

  it("refuses an amount no wait could cover, and a bucket with no capacity", () => {
    const buckets = new TokenBuckets(10, 1, clock().read);
    expect(() => buckets.take("k", 11)).toThrow(/cannot take 11 from buckets of 10/);
    expect(() => new TokenBuckets(0, 1)).toThrow(RangeError);
  });

  it("drops buckets that have filled up again once there are many", () => {
    const time = clock();
    const buckets = new TokenBuckets(10, 10, time.read);
    for (let i = 0; i < 10_000; i++) buckets.take(`ip:${i}`, 5);
    expect(buckets.size).toBe(10_000);
    time.now += 1_000;
    buckets.take("ip:new", 5);
    expect(buckets.size).toBe(1);
  });
});
