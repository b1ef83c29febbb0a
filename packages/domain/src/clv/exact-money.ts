import { ClvError } from "./clv-error";

/**
 * Exact arithmetic for the heuristic CLV models: money and rates are turned into exact
 * rationals (bigint numerator / denominator), combined without rounding, and rounded once, half
 * to even, to integer minor units. No binary float ever touches an amount of money.
 */

/** An exact rational number `n / d` with `d > 0`. */
export interface Rational {
  n: bigint;
  d: bigint;
}

/**
 * An amount of money: a `number` or `bigint` is an integer count of minor units (cents);
 * a `string` is a decimal amount in major units ("12.34"), with at most the currency's number
 * of decimals.
 */
export type MoneyInput = number | bigint | string;

/** A rate or factor: a number, or a decimal string ("0.05") for exactness. */
export type RateInput = number | string;

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a finite decimal (a number via its shortest round-trip string, e.g. 0.1 → 1/10, or
 * a decimal string) into an exact rational.
 *
 * @param value the decimal.
 * @param field name used in error messages.
 * @returns the exact value.
 * @throws {ClvError} INVALID_NUMBER for NaN, infinities and text that is not a decimal.
 * @example
 * parseRate("0.05", "discountRate"); // { n: 1n, d: 20n } (unreduced: 5n / 100n)
 */
export function parseRate(value: RateInput, field: string): Rational {
  const text =
    typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) {
    throw new ClvError(
      "INVALID_NUMBER",
      `${field} must be a finite decimal number (got ${JSON.stringify(value)})`,
      { field },
    );
  }
  const [, sign, whole, fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText) - fraction.length;
  let n = BigInt(whole! + fraction);
  let d = 1n;
  if (exponent >= 0) n *= 10n ** BigInt(exponent);
  else d = 10n ** BigInt(-exponent);
  return { n: sign === "-" ? -n : n, d };
}

/**
 * Converts a money input to integer minor units.
 *
 * @param value minor units (number/bigint) or a decimal string in major units.
 * @param currencyDecimals digits of the minor unit (2 for EUR/USD, 0 for JPY, 3 for KWD).
 * @param field name used in error messages.
 * @returns minor units.
 * @throws {ClvError} INVALID_MONEY for a non-integer number, an unsafe integer, or a string
 *   with more decimals than the currency has.
 * @example
 * toMinorUnits("12.30", 2, "aov"); // 1230n
 */
export function toMinorUnits(value: MoneyInput, currencyDecimals: number, field: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new ClvError(
        "INVALID_MONEY",
        `${field} must be an integer number of minor units or a decimal string (got ${value})`,
        { field },
      );
    }
    return BigInt(value);
  }
  const match = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(value.trim());
  if (!match) {
    throw new ClvError(
      "INVALID_MONEY",
      `${field} is not a decimal amount (got ${JSON.stringify(value)})`,
      { field },
    );
  }
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > currencyDecimals) {
    throw new ClvError(
      "INVALID_MONEY",
      `${field} has more than ${currencyDecimals} decimals (got ${JSON.stringify(value)})`,
      { field },
    );
  }
  const minor = BigInt(whole! + fraction.padEnd(currencyDecimals, "0"));
  return sign === "-" ? -minor : minor;
}

/**
 * Rounds an exact rational to the nearest integer, ties to even (banker's rounding, IEEE 754
 * roundTiesToEven), so that rounding errors do not drift in one direction over many customers.
 *
 * @param value the rational (d > 0).
 * @returns the rounded integer.
 * @example
 * roundHalfEven({ n: 5n, d: 2n }); // 2n
 */
export function roundHalfEven(value: Rational): bigint {
  let { n, d } = value;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  let q = n / d; // truncates toward zero
  let r = n - q * d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  const twice = 2n * r;
  if (twice > d || (twice === d && q % 2n !== 0n)) q += 1n;
  return q;
}

/**
 * Rounds a binary float to the nearest integer, ties to even. For model outputs (predictive CLV)
 * that are statistical estimates computed in floating point before they become money.
 *
 * @param value a finite number.
 * @returns the rounded integer.
 * @example
 * roundHalfEvenNumber(2.5); // 2
 */
export function roundHalfEvenNumber(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Converts minor units to a safe JavaScript integer, or throws when out of range. */
export function toSafeInteger(value: bigint, field: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new ClvError(
      "INVALID_MONEY",
      `${field} is too large to be represented exactly (${value})`,
      { field },
    );
  }
  return n;
}

export const add = (x: Rational, y: Rational): Rational => ({
  n: x.n * y.d + y.n * x.d,
  d: x.d * y.d,
});
export const subtract = (x: Rational, y: Rational): Rational => ({
  n: x.n * y.d - y.n * x.d,
  d: x.d * y.d,
});
export const multiply = (x: Rational, y: Rational): Rational => ({ n: x.n * y.n, d: x.d * y.d });
export function divide(x: Rational, y: Rational, field: string): Rational {
  if (y.n === 0n) throw new ClvError("INVALID_PARAMETER", `${field}: division by zero`, { field });
  return y.n < 0n ? { n: -x.n * y.d, d: x.d * -y.n } : { n: x.n * y.d, d: x.d * y.n };
}
export const integer = (v: bigint): Rational => ({ n: v, d: 1n });

/** Checks lo ≤ value ≤ hi (exactly) and throws INVALID_PARAMETER otherwise. */
export function assertRange(
  value: Rational,
  lo: number,
  hi: number,
  field: string,
  loOpen = false,
): void {
  const lower = parseRate(lo, field);
  const upper = parseRate(hi, field);
  const belowLo =
    value.n * lower.d < lower.n * value.d || (loOpen && value.n * lower.d === lower.n * value.d);
  const aboveHi = value.n * upper.d > upper.n * value.d;
  if (belowLo || aboveHi) {
    throw new ClvError(
      "INVALID_PARAMETER",
      `${field} must be in ${loOpen ? "(" : "["}${lo}, ${hi}] (got ${Number(value.n) / Number(value.d)})`,
      { field },
    );
  }
}
