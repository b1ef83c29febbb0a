import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, retryDelayMs } from "./webhook-retry-policy";

describe("retryDelayMs", () => {
  it("doubles the wait after each failed attempt, between half and all of it", () => {
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, () => 0)).toBe(15_000);
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, () => 0.999999)).toBe(30_000);
    expect(retryDelayMs(2, DEFAULT_RETRY_POLICY, () => 0)).toBe(30_000);
    expect(retryDelayMs(7, DEFAULT_RETRY_POLICY, () => 1)).toBe(30_000 * 64);
  });

  it("never waits longer than the policy's maximum", () => {
    expect(retryDelayMs(40, DEFAULT_RETRY_POLICY, () => 1)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  it("spreads the waits (jitter)", () => {
    const waits = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, DEFAULT_RETRY_POLICY)));
    expect(waits.size).toBeGreaterThan(10);
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(60_000);
  });

  it("refuses a count of attempts below 1", () => {
    expect(() => retryDelayMs(0, DEFAULT_RETRY_POLICY)).toThrow(RangeError);
    expect(() => retryDelayMs(1.5, DEFAULT_RETRY_POLICY)).toThrow(/whole number/);
  });
});
