import { DAY_MS } from "./loyalty-calendar";
import { fractionToDecimal, parseDecimal, type Fraction } from "./loyalty-decimal";
import { LoyaltyError } from "./loyalty-error";
import type { LedgerEntry, Lot } from "./points-ledger";

/**
 * What the available points would cost the business if all were redeemed: points × cost per
 * point, exact. Points and cost are non-negative; a negative available balance counts as 0.
 *
 * @param availablePoints spendable points summed over customers.
 * @param costPerPointMinor cost of one point in minor units, e.g. "0.5".
 * @returns the liability in minor units as an exact decimal string.
 * @throws {LoyaltyError} INVALID_POINTS or INVALID_DECIMAL.
 * @example
 * pointsLiability(12345, "0.5"); // "6172.5"
 */
export function pointsLiability(
  availablePoints: number | bigint,
  costPerPointMinor: string,
): string {
  if (typeof availablePoints === "number" && !Number.isSafeInteger(availablePoints)) {
    throw new LoyaltyError(
      "INVALID_POINTS",
      `availablePoints must be whole (got ${availablePoints})`,
      "availablePoints",
    );
  }
  const points = BigInt(availablePoints);
  const cost = parseDecimal(costPerPointMinor, "costPerPointMinor");
  const exact: Fraction = {
    numerator: (points > 0n ? points : 0n) * cost.numerator,
    denominator: cost.denominator,
  };
  const decimals = cost.denominator.toString().length - 1;
  // The product has exactly the cost's decimals; trailing zeros are dropped.
  const text = fractionToDecimal(exact, decimals);
  return decimals === 0 ? text : text.replace(/\.?0+$/, "");
}

/** A rate as an exact fraction and as a decimal rounded half up to 4 places. */
export interface Rate {
  numerator: number;
  denominator: number;
  decimal: string;
}

/** Earn, redeem and expiry totals over a period, with the programme's rates. */
export interface ProgrammeRates {
  earned: number;
  redeemed: number;
  expired: number;
  /** expired ÷ earned; null when nothing was earned. */
  breakage: Rate | null;
  /** redeemed ÷ earned; null when nothing was earned. */
  redemptionRate: Rate | null;
}

function rate(numerator: number, denominator: number): Rate | null {
  if (denominator === 0) return null;
  const decimal = fractionToDecimal(
    { numerator: BigInt(numerator), denominator: BigInt(denominator) },
    4,
  );
  return { numerator, denominator, decimal };
}

/**
 * Breakage and redemption rate over `[from, until)`: points earned (earn entries), redeemed and
 * expired by entries dated in the period, from any number of customers' ledgers. Points earned
 * before the period and spent or expired in it count in the numerator only, as the usual
 * period ratio does; rates can therefore pass 1.
 *
 * @param entries ledger entries (any customers).
 * @param from start of the period (inclusive).
 * @param until end of the period (exclusive).
 * @returns the totals and rates.
 * @example
 * programmeRates(entries, Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1)).breakage?.decimal; // "0.1250"
 */
export function programmeRates(
  entries: readonly LedgerEntry[],
  from: number,
  until: number,
): ProgrammeRates {
  let earned = 0;
  let redeemed = 0;
  let expired = 0;
  for (const e of entries) {
    if (e.at < from || e.at >= until) continue;
    if (e.type === "earn") earned += e.points;
    else if (e.type === "redeem") redeemed -= e.points;
    else if (e.type === "expire") expired -= e.points;
  }
  return {
    earned,
    redeemed,
    expired,
    breakage: rate(expired, earned),
    redemptionRate: rate(redeemed, earned),
  };
}

/**
 * Open points that expire within each horizon of `now` (lots already due included), for the
 * 30/60/90-day view of what is about to lapse.
 *
 * @param lots lots of any number of customers.
 * @param now the current instant.
 * @param horizonsDays the horizons (default 30, 60, 90).
 * @returns one figure per horizon.
 * @example
 * pointsExpiringSoon(lots, now); // [{ days: 30, points: 120 }, { days: 60, points: 300 }, ...]
 */
export function pointsExpiringSoon(
  lots: readonly Lot[],
  now: number,
  horizonsDays: readonly number[] = [30, 60, 90],
): { days: number; points: number }[] {
  return horizonsDays.map((days) => ({
    days,
    points: lots.reduce(
      (s, l) =>
        l.remaining > 0 && l.expiresAt !== null && l.expiresAt <= now + days * DAY_MS
          ? s + l.remaining
          : s,
      0,
    ),
  }));
}
