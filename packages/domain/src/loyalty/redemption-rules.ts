import { LoyaltyError } from "./loyalty-error";

/** A reward's redemption terms. */
export interface RewardTerms {
  /** Points one unit of the reward costs (≥ 1). */
  pointsCost: number;
  /** Tier keys that may redeem it, or null for every customer. */
  eligibleTiers: readonly string[] | null;
  /** Units left, or null for unlimited. */
  stock: number | null;
  /** Most units one customer may redeem in all, or null for no limit. */
  perCustomerLimit: number | null;
  /** Redeemable from this instant on (epoch ms), or null. */
  validFrom: number | null;
  /** Redeemable before this instant, or null. */
  validUntil: number | null;
}

/** The customer asking. */
export interface RedeemingCustomer {
  /** Spendable points now (see spendablePoints). */
  availablePoints: number;
  tier: string | null;
  /** Units of this reward the customer already redeemed. */
  alreadyRedeemed: number;
}

export type RedemptionRefusalCode =
  | "INVALID_QUANTITY"
  | "INSUFFICIENT_POINTS"
  | "TIER_NOT_ELIGIBLE"
  | "OUT_OF_STOCK"
  | "LIMIT_REACHED"
  | "NOT_YET_VALID"
  | "EXPIRED";

export interface RedemptionRefusal {
  code: RedemptionRefusalCode;
  message: string;
}

export type RedemptionCheck =
  { ok: true; pointsCost: number } | { ok: false; refusals: RedemptionRefusal[] };

/**
 * Whether a customer may redeem `quantity` units of a reward at `at`: every reason against it is
 * listed, so a storefront can show them all. The window is `validFrom <= at < validUntil`.
 *
 * @param terms the reward's terms.
 * @param customer the customer's spendable points, tier and past redemptions of the reward.
 * @param at the instant of the request.
 * @param quantity units asked for (default 1).
 * @returns ok with the total points cost, or the refusals.
 * @throws {LoyaltyError} INVALID_POINTS when the reward's points cost is not whole points ≥ 1.
 * @example
 * checkRedemption({ pointsCost: 500, eligibleTiers: null, stock: null, perCustomerLimit: null,
 *   validFrom: null, validUntil: null }, { availablePoints: 400, tier: null, alreadyRedeemed: 0 }, 0);
 * // { ok: false, refusals: [{ code: "INSUFFICIENT_POINTS", ... }] }
 */
export function checkRedemption(
  terms: RewardTerms,
  customer: RedeemingCustomer,
  at: number,
  quantity = 1,
): RedemptionCheck {
  if (!Number.isSafeInteger(terms.pointsCost) || terms.pointsCost < 1) {
    throw new LoyaltyError(
      "INVALID_POINTS",
      `pointsCost must be whole points of at least 1 (got ${String(terms.pointsCost)})`,
      "pointsCost",
    );
  }
  const refusals: RedemptionRefusal[] = [];
  const refuse = (code: RedemptionRefusalCode, message: string): void => {
    refusals.push({ code, message });
  };
  if (!Number.isSafeInteger(quantity) || quantity < 1) {
    refuse(
      "INVALID_QUANTITY",
      `quantity must be a whole number of at least 1 (got ${String(quantity)})`,
    );
    return { ok: false, refusals };
  }
  const cost = terms.pointsCost * quantity;
  if (customer.availablePoints < cost) {
    refuse(
      "INSUFFICIENT_POINTS",
      `the reward costs ${cost} points; ${Math.max(0, customer.availablePoints)} are available`,
    );
  }
  if (
    terms.eligibleTiers !== null &&
    (customer.tier === null || !terms.eligibleTiers.includes(customer.tier))
  ) {
    refuse(
      "TIER_NOT_ELIGIBLE",
      `the reward is for tiers ${terms.eligibleTiers.join(", ")}; the customer is in ${customer.tier ?? "no tier"}`,
    );
  }
  if (terms.stock !== null && terms.stock < quantity) {
    refuse("OUT_OF_STOCK", `${terms.stock} left, ${quantity} asked for`);
  }
  if (
    terms.perCustomerLimit !== null &&
    customer.alreadyRedeemed + quantity > terms.perCustomerLimit
  ) {
    refuse(
      "LIMIT_REACHED",
      `at most ${terms.perCustomerLimit} per customer; ${customer.alreadyRedeemed} already redeemed`,
    );
  }
  if (terms.validFrom !== null && at < terms.validFrom) {
    refuse("NOT_YET_VALID", `redeemable from ${new Date(terms.validFrom).toISOString()}`);
  }
  if (terms.validUntil !== null && at >= terms.validUntil) {
    refuse("EXPIRED", `redeemable until ${new Date(terms.validUntil).toISOString()}`);
  }
  return refusals.length === 0 ? { ok: true, pointsCost: cost } : { ok: false, refusals };
}
