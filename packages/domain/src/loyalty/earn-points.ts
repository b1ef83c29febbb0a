import { fractionToDecimal, parseDecimal, roundQuotient } from "./loyalty-decimal";
import { LoyaltyError } from "./loyalty-error";
import type { LoyaltySettings } from "./loyalty-settings";

/** An order as the earning rule sees it. */
export interface EarnInput {
  /** What the customer paid, in minor units (a safe integer or bigint, not negative). */
  amountMinor: number | bigint;
  /** The margin on the order in minor units; needed when the basis is `margin`. */
  marginMinor?: number | bigint | null;
  /** Decimal places of the currency's minor unit (2 for USD, 0 for JPY). */
  currencyExponent: number;
  /** The customer's tier key, or null; a tier without a multiplier earns at 1. */
  tier: string | null;
  /** Multipliers of the campaigns active at the order, as decimals such as "2". */
  campaignMultipliers?: readonly string[];
  /** Points the customer already earned from orders in the current cap period. */
  earnedInPeriod?: number;
}

/** Which cap cut an order's points, if any. */
export type EarnCap = "per_order" | "per_period" | null;

/** An order's points and how they were reached. */
export interface EarnResult {
  points: number;
  /** The basis in currency units times the rate, before multipliers, exact (6 decimals). */
  base: string;
  /** Every multiplier applied, tier first. */
  multipliers: { kind: "tier" | "campaign"; value: string }[];
  /** Points after multipliers and rounding, before the caps. */
  uncapped: number;
  cappedBy: EarnCap;
}

function minorAmount(value: unknown, field: string): bigint {
  if (typeof value === "bigint" && value >= 0n) return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new LoyaltyError(
    "INVALID_MONEY",
    `${field} must be whole minor units, not negative (got ${String(value)})`,
    field,
  );
}

/**
 * Points for an order: basis (amount or margin) in currency units × points per unit × the tier's
 * multiplier × every active campaign multiplier, computed as one exact fraction and rounded once
 * by `settings.rounding`; then the per-order cap, then what is left of the per-period cap. A
 * negative margin earns nothing.
 *
 * @param settings the loyalty settings (assumed valid: see validateLoyaltySettings).
 * @param input the order.
 * @returns whole points and their explanation.
 * @throws {LoyaltyError} INVALID_MONEY for a negative or fractional amount (or a missing margin
 *   on the margin basis), INVALID_DECIMAL for a malformed campaign multiplier, INVALID_POINTS for
 *   a bad `earnedInPeriod`.
 * @example
 * // $12.34 at 1.5 points per dollar, floored: 18.51 → 18 points.
 * earnPoints({ ...defaultLoyaltySettings(), pointsPerUnit: "1.5" },
 *   { amountMinor: 1234, currencyExponent: 2, tier: null }).points; // 18
 */
export function earnPoints(settings: LoyaltySettings, input: EarnInput): EarnResult {
  if (
    !Number.isSafeInteger(input.currencyExponent) ||
    input.currencyExponent < 0 ||
    input.currencyExponent > 4
  ) {
    throw new LoyaltyError(
      "INVALID_MONEY",
      `currencyExponent must be a whole number from 0 to 4 (got ${String(input.currencyExponent)})`,
      "currencyExponent",
    );
  }
  const amount = minorAmount(input.amountMinor, "amountMinor");
  let basis = amount;
  if (settings.earnBasis === "margin") {
    const margin = input.marginMinor;
    if (margin === null || margin === undefined) {
      throw new LoyaltyError(
        "INVALID_MONEY",
        "marginMinor is needed when points are earned on the margin",
        "marginMinor",
      );
    }
    if (typeof margin !== "bigint" && !Number.isSafeInteger(margin)) {
      throw new LoyaltyError(
        "INVALID_MONEY",
        `marginMinor must be whole minor units (got ${String(margin)})`,
        "marginMinor",
      );
    }
    // A loss-making order earns nothing rather than taking points away.
    basis = BigInt(margin) < 0n ? 0n : BigInt(margin);
  }
  const earnedInPeriod = input.earnedInPeriod ?? 0;
  if (!Number.isSafeInteger(earnedInPeriod) || earnedInPeriod < 0) {
    throw new LoyaltyError(
      "INVALID_POINTS",
      `earnedInPeriod must be whole points, not negative (got ${String(earnedInPeriod)})`,
      "earnedInPeriod",
    );
  }

  const rate = parseDecimal(settings.pointsPerUnit, "pointsPerUnit");
  let numerator = basis * rate.numerator;
  let denominator = 10n ** BigInt(input.currencyExponent) * rate.denominator;
  const base = fractionToDecimal({ numerator, denominator }, 6);

  const multipliers: EarnResult["multipliers"] = [];
  // Own keys only: a tier called "constructor" must not find Object.prototype's.
  const tierMultiplier =
    input.tier !== null && Object.hasOwn(settings.tierMultipliers, input.tier)
      ? settings.tierMultipliers[input.tier]
      : undefined;
  if (tierMultiplier !== undefined) {
    const m = parseDecimal(tierMultiplier, `tierMultipliers.${input.tier}`);
    numerator *= m.numerator;
    denominator *= m.denominator;
    multipliers.push({ kind: "tier", value: tierMultiplier });
  }
  (input.campaignMultipliers ?? []).forEach((text, i) => {
    const m = parseDecimal(text, `campaignMultipliers[${i}]`);
    numerator *= m.numerator;
    denominator *= m.denominator;
    multipliers.push({ kind: "campaign", value: text });
  });

  const rounded = roundQuotient(numerator, denominator, settings.rounding);
  if (rounded > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new LoyaltyError(
      "INVALID_POINTS",
      `the order would earn ${rounded} points, more than can be counted`,
    );
  }
  const uncapped = Number(rounded);
  let points = uncapped;
  let cappedBy: EarnCap = null;
  if (settings.perOrderCap !== null && points > settings.perOrderCap) {
    points = settings.perOrderCap;
    cappedBy = "per_order";
  }
  if (settings.periodCap !== null) {
    const left = Math.max(0, settings.periodCap.points - earnedInPeriod);
    if (points > left) {
      points = left;
      cappedBy = "per_period";
    }
  }
  return { points, base, multipliers, uncapped, cappedBy };
}

/**
 * Bonus points for a named event (sign-up, birthday, review or any event the settings list).
 * Bonuses are not subject to the order caps: the business sets them one by one.
 *
 * @param settings the loyalty settings.
 * @param event the event key, e.g. `birthday`.
 * @returns the event's points.
 * @throws {LoyaltyError} UNKNOWN_BONUS_EVENT when the settings list no such event.
 * @example
 * bonusPoints(defaultLoyaltySettings(), "sign_up"); // 100
 */
export function bonusPoints(settings: LoyaltySettings, event: string): number {
  const points = Object.hasOwn(settings.bonusEvents, event)
    ? settings.bonusEvents[event]
    : undefined;
  if (points === undefined) {
    const known = Object.keys(settings.bonusEvents).join(", ") || "none";
    throw new LoyaltyError(
      "UNKNOWN_BONUS_EVENT",
      `there is no bonus event ${JSON.stringify(event)} (known: ${known})`,
      "event",
    );
  }
  return points;
}
