import { describe, expect, it } from "vitest";
import {
  chargeAttempt,
  EMAIL_LOGIN_POLICY,
  lockSeconds,
  type AttemptState,
  type LoginThrottlePolicy,
} from "./login-throttle";

const policy: LoginThrottlePolicy = {
  freeFailures: 5,
  baseDelaySeconds: 1,
  maxDelaySeconds: 900,
  windowSeconds: 3600,
};
const t0 = new Date("2026-01-01T00:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe("lockSeconds", () => {
  it("is free for the free failures, then doubles from the base up to the cap", () => {
    expect([0, 1, 5].map((n) => lockSeconds(n, policy))).toEqual([0, 0, 0]);
    expect([6, 7, 8, 9, 10].map((n) => lockSeconds(n, policy))).toEqual([1, 2, 4, 8, 16]);
    expect(lockSeconds(15, policy)).toBe(512);
    expect(lockSeconds(16, policy)).toBe(900);
    expect(lockSeconds(1_000_000, policy)).toBe(900);
  });
});

describe("chargeAttempt", () => {
  it("counts attempts and locks once the free ones are used", () => {
    let state: AttemptState | null = null;
    for (let i = 1; i <= 5; i++) {
      const charged = chargeAttempt(state, at(i), policy);
      if (!("next" in charged)) throw new Error(`attempt ${i} refused`);
      expect(charged.next.lockedUntil).toBeNull();
      state = charged.next;
    }
    const sixth = chargeAttempt(state, at(6), policy);
    expect(sixth).toEqual({
      next: { failures: 6, lastFailureAt: at(6), lockedUntil: at(7) },
    });
  });

  it("refuses while locked, saying how long to wait (rounded up), and changes nothing", () => {
    const state: AttemptState = { failures: 7, lastFailureAt: at(0), lockedUntil: at(2) };
    const before = { ...state };
    expect(chargeAttempt(state, at(0.5), policy)).toEqual({ retryAfterSeconds: 2 });
    expect(chargeAttempt(state, at(1.999), policy)).toEqual({ retryAfterSeconds: 1 });
    expect(state).toEqual(before);
    expect(chargeAttempt(state, at(2), policy)).toEqual({
      next: { failures: 8, lastFailureAt: at(2), lockedUntil: at(6) },
    });
  });

  it("forgets failures older than the window", () => {
    const state: AttemptState = { failures: 9, lastFailureAt: at(0), lockedUntil: at(8) };
    expect(chargeAttempt(state, at(3600), policy)).toEqual({
      next: { failures: 1, lastFailureAt: at(3600), lockedUntil: null },
    });
  });

  it("starts a missing counter at one", () => {
    expect(chargeAttempt(null, t0, EMAIL_LOGIN_POLICY)).toEqual({
      next: { failures: 1, lastFailureAt: t0, lockedUntil: null },
    });
  });
});
