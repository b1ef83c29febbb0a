import { formatMoney } from "../money";
import { MeasurementError } from "./measurement-error";

/** An exact amount of minor units, n / d with d a power of ten (d > 0). */
export interface MinorAmount {
  n: bigint;
  d: bigint;
}

// Non-negative decimals: "1", "0.5", "0.125".
const DECIMAL = /^(\d{1,15})(?:\.(\d{1,12}))?$/;

/** Reads a non-negative decimal string exactly. */
export function parseMinorDecimal(text: string, field: string): MinorAmount {
  const match = typeof text === "string" ? DECIMAL.exec(text.trim()) : null;
  if (!match) {
    throw new MeasurementError(
      "INVALID_MONEY",
      `${field} must be a non-negative decimal such as "1" or "0.5" (got ${JSON.stringify(text)})`,
      { field },
    );
  }
  const fraction = match[2] ?? "";
  return { n: BigInt(match[1]! + fraction), d: 10n ** BigInt(fraction.length) };
}

/** A whole number of minor units (number or bigint) as a bigint. */
export function wholeMinor(value: number | bigint, field: string, allowNegative = false): bigint {
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    throw new MeasurementError(
      "INVALID_MONEY",
      `${field} must be a whole number of minor units (got ${value})`,
      { field },
    );
  }
  const v = BigInt(value);
  if (!allowNegative && v < 0n) {
    throw new MeasurementError("INVALID_MONEY", `${field} must not be negative (got ${v})`, {
      field,
    });
  }
  return v;
}

/**
 * Exact minor units as a decimal string in currency units, with the currency's decimals and more
 * only where the amount has them ("61.725" for 6172.5 cents; "12.30" for 1230 cents).
 *
 * @param amount exact minor units.
 * @param exponent the currency's decimals (2 for USD); 0 writes the minor units themselves.
 */
export function formatMinorAmount(amount: MinorAmount, exponent: number): string {
  // Scale to a power-of-ten denominator counting the currency's decimals too.
  const places = amount.d.toString().length - 1 + exponent;
  const negative = amount.n < 0n;
  const digits = (negative ? -amount.n : amount.n).toString().padStart(places + 1, "0");
  let whole = digits.slice(0, digits.length - places);
  let fraction = places === 0 ? "" : digits.slice(digits.length - places);
  // Keep at least the currency's decimals; drop zeros beyond them.
  while (fraction.length > exponent && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  whole = whole === "" ? "0" : whole;
  return `${negative ? "-" : ""}${whole}${fraction ? "." + fraction : ""}`;
}

/** A float amount of minor units rounded half to even to a whole minor unit, then formatted. */
export function formatRoundedMinor(minor: number, currency: string, field: string): string {
  const rounded = roundHalfEvenMinor(minor, field);
  return formatMoney(rounded, currency);
}

/** Rounds a float amount of minor units to a whole number, ties to even. */
export function roundHalfEvenMinor(minor: number, field: string): number {
  if (!Number.isFinite(minor)) {
    throw new MeasurementError("INVALID_MONEY", `${field} is not a finite amount (${minor})`, {
      field,
    });
  }
  const floor = Math.floor(minor);
  const diff = minor - floor;
  const rounded = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  if (!Number.isSafeInteger(rounded)) {
    throw new MeasurementError("INVALID_MONEY", `${field} is too large (${minor} minor units)`, {
      field,
    });
  }
  // -0 prints as "0" in formatMoney either way; normalise for equality checks.
  return rounded === 0 ? 0 : rounded;
}
