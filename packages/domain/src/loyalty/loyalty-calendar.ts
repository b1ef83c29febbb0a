import { LoyaltyError } from "./loyalty-error";
import type { CapPeriod, ExpiryRule } from "./loyalty-settings";

/** One day in milliseconds. Instants in the loyalty rules are UTC epoch milliseconds. */
export const DAY_MS = 86_400_000;

function checkInstant(at: number, field: string): void {
  if (!Number.isSafeInteger(at)) {
    throw new LoyaltyError(
      "INVALID_TIME",
      `${field} must be whole epoch milliseconds (got ${String(at)})`,
      field,
    );
  }
}

/**
 * When points earned at `earnedAt` expire; they are expired from that instant on
 * (`now >= expiresAt`). Calendar boundaries are UTC month starts: the end of a month is the first
 * instant of the next one.
 *
 * @param rule the expiry rule.
 * @param earnedAt when the points were earned (epoch ms).
 * @returns the expiry instant, or null when points never expire.
 * @throws {LoyaltyError} INVALID_TIME when `earnedAt` is not whole milliseconds.
 * @example
 * // Earned 15 Jan 2026, expiring at the end of the next month: 1 Mar 2026 00:00 UTC.
 * pointsExpireAt({ kind: "calendar", unit: "month", count: 1 }, Date.UTC(2026, 0, 15));
 * // Date.UTC(2026, 2, 1)
 */
export function pointsExpireAt(rule: ExpiryRule, earnedAt: number): number | null {
  checkInstant(earnedAt, "earnedAt");
  switch (rule.kind) {
    case "none":
      return null;
    case "rolling":
      return earnedAt + rule.days * DAY_MS;
    case "calendar": {
      const d = new Date(earnedAt);
      return rule.unit === "month"
        ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + rule.count + 1, 1)
        : Date.UTC(d.getUTCFullYear() + rule.count + 1, 0, 1);
    }
  }
}

/**
 * The start of the cap period that contains `at`: the UTC day, month or year, or `days` days
 * before `at` for a rolling period. Orders earned at or after this instant count toward the cap.
 *
 * @param period the cap period.
 * @param at the order's instant (epoch ms).
 * @returns the period's first instant.
 * @throws {LoyaltyError} INVALID_TIME when `at` is not whole milliseconds.
 * @example
 * capPeriodStart({ kind: "month" }, Date.UTC(2026, 4, 20, 13)); // Date.UTC(2026, 4, 1)
 */
export function capPeriodStart(period: CapPeriod, at: number): number {
  checkInstant(at, "at");
  const d = new Date(at);
  switch (period.kind) {
    case "day":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case "month":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case "year":
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case "rolling_days":
      return at - period.days * DAY_MS;
  }
}
