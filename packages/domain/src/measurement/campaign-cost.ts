import { currencyExponent } from "../money";
import { MeasurementError } from "./measurement-error";
import {
  formatMinorAmount,
  parseMinorDecimal,
  wholeMinor,
  type MinorAmount,
} from "./measurement-money";

/** What a campaign gave away. */
export interface CampaignCostInput {
  /** Points the campaign added (bonus points and the extra from multipliers), net of reversals. */
  pointsAwarded: number | bigint;
  /** Cost of one point in minor units, a decimal such as "0.5" (the loyalty setting). */
  costPerPointMinor: string;
  /** Coupons the campaign pays for (normally the redeemed ones), at face value in minor units. */
  coupons?: readonly { faceValueMinor: number | bigint; count: number }[];
  /** Any other spend in minor units (e.g. a fixed fee); default 0. */
  otherMinor?: number | bigint;
  currency: string;
}

/** The cost, exact, as decimal strings in currency units, and as a number for ratios. */
export interface CampaignCost {
  points: string;
  coupons: string;
  other: string;
  total: string;
  /** The total in minor units as a number (for ratios; possibly fractional). */
  totalMinor: number;
  /** The total in minor units as an exact decimal string ("7672.5"). */
  totalMinorExact: string;
  currency: string;
}

const add = (x: MinorAmount, y: MinorAmount): MinorAmount =>
  x.d === y.d ? { n: x.n + y.n, d: x.d } : { n: x.n * y.d + y.n * x.d, d: x.d * y.d };

/**
 * A campaign's cost: points at their cost per point plus coupons at face value (plus other
 * spend), computed exactly in bigint and reported as decimal strings; fractions of a minor unit
 * (½ cent per point) are kept, not rounded.
 *
 * @param input points, cost per point, coupons, currency.
 * @returns each part and the total.
 * @throws {MeasurementError} INVALID_MONEY for negative or fractional amounts or a bad cost per
 *   point; INVALID_PARAMETER for a coupon count that is not a whole number ≥ 0.
 * @throws {UnknownCurrencyError} for an unknown currency.
 * @example
 * campaignCost({ pointsAwarded: 12345, costPerPointMinor: "0.5", coupons: [{ faceValueMinor: 500, count: 3 }], currency: "USD" });
 * // { points: "61.725", coupons: "15.00", other: "0.00", total: "76.725", totalMinor: 7672.5,
 * //   totalMinorExact: "7672.5", currency: "USD" }
 */
export function campaignCost(input: CampaignCostInput): CampaignCost {
  const exponent = currencyExponent(input.currency);
  const points = wholeMinor(input.pointsAwarded, "pointsAwarded");
  const perPoint = parseMinorDecimal(input.costPerPointMinor, "costPerPointMinor");
  const pointsCost: MinorAmount = { n: points * perPoint.n, d: perPoint.d };
  let coupons = 0n;
  (input.coupons ?? []).forEach((c, i) => {
    if (!(Number.isSafeInteger(c.count) && c.count >= 0)) {
      throw new MeasurementError(
        "INVALID_PARAMETER",
        `coupons[${i}].count must be a whole number ≥ 0 (got ${c.count})`,
        { index: i, field: "coupons" },
      );
    }
    coupons += wholeMinor(c.faceValueMinor, `coupons[${i}].faceValueMinor`) * BigInt(c.count);
  });
  const other = wholeMinor(input.otherMinor ?? 0, "otherMinor");
  const total = add(add(pointsCost, { n: coupons, d: 1n }), { n: other, d: 1n });
  return {
    points: formatMinorAmount(pointsCost, exponent),
    coupons: formatMinorAmount({ n: coupons, d: 1n }, exponent),
    other: formatMinorAmount({ n: other, d: 1n }, exponent),
    total: formatMinorAmount(total, exponent),
    totalMinor: Number(total.n) / Number(total.d),
    totalMinorExact: formatMinorAmount(total, 0),
    currency: input.currency,
  };
}
