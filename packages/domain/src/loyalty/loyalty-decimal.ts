import { LoyaltyError } from "./loyalty-error";

/** An exact non-negative rational: `numerator / denominator`, denominator > 0. */
export interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

// Digits with an optional fraction, no sign, no exponent: "1", "1.5", "0.25".
const DECIMAL = /^(\d{1,15})(?:\.(\d{1,12}))?$/;

/**
 * Whether `text` is a non-negative decimal this module reads exactly (up to 15 whole digits and
 * 12 decimals, no sign or exponent).
 *
 * @param text the candidate.
 * @returns true when {@link parseDecimal} accepts it.
 * @example
 * isDecimalText("1.5"); // true
 * isDecimalText("1e3"); // false
 */
export function isDecimalText(text: unknown): text is string {
  return typeof text === "string" && DECIMAL.test(text);
}

/**
 * Reads a decimal string as an exact fraction over a power of ten, so that rates such as
 * "1.5" points per unit are multiplied without binary floats.
 *
 * @param text a decimal such as "1.5".
 * @param field the input's name, for the error message.
 * @returns the exact fraction, e.g. 15/10.
 * @throws {LoyaltyError} INVALID_DECIMAL when `text` is not a plain decimal.
 * @example
 * parseDecimal("1.25", "rate"); // { numerator: 125n, denominator: 100n }
 */
export function parseDecimal(text: string, field: string): Fraction {
  const match = typeof text === "string" ? DECIMAL.exec(text) : null;
  if (!match) {
    throw new LoyaltyError(
      "INVALID_DECIMAL",
      `${field} must be a decimal such as "1" or "1.5" (got ${JSON.stringify(text)})`,
      field,
    );
  }
  const fraction = match[2] ?? "";
  return {
    numerator: BigInt(match[1]! + fraction),
    denominator: 10n ** BigInt(fraction.length),
  };
}

/**
 * Divides exactly and rounds to a whole number by the stated rule.
 *
 * @param numerator a non-negative dividend.
 * @param denominator a positive divisor.
 * @param rule `floor` drops any fraction; `half_up` rounds halves away from zero.
 * @returns the rounded quotient.
 * @example
 * roundQuotient(7n, 2n, "floor"); // 3n
 * roundQuotient(7n, 2n, "half_up"); // 4n
 */
export function roundQuotient(
  numerator: bigint,
  denominator: bigint,
  rule: "floor" | "half_up",
): bigint {
  const whole = numerator / denominator;
  if (rule === "floor") return whole;
  return 2n * (numerator % denominator) >= denominator ? whole + 1n : whole;
}

/**
 * Writes a fraction as a decimal string with `decimals` places, rounded half up.
 *
 * @param value a non-negative fraction.
 * @param decimals places after the point (0 gives a whole number).
 * @returns the decimal text.
 * @example
 * fractionToDecimal({ numerator: 1n, denominator: 3n }, 4); // "0.3333"
 */
export function fractionToDecimal(value: Fraction, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const scaled = roundQuotient(value.numerator * scale, value.denominator, "half_up");
  if (decimals === 0) return scaled.toString();
  const digits = scaled.toString().padStart(decimals + 1, "0");
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
