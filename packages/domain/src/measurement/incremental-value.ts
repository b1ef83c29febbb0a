import { MeasurementError } from "./measurement-error";
import { formatRoundedMinor, roundHalfEvenMinor } from "./measurement-money";

/** An amount of money with an interval: decimal strings for people, minor units for charts. */
export interface MoneyInterval {
  /** Decimal string in currency units, rounded half to even to the minor unit. */
  estimate: string;
  /** The fixed-horizon interval (Welch), valid for one analysis at the planned end. */
  ci: [string, string] | null;
  estimateMinor: number;
  ciMinor: [number, number] | null;
  /** The always-valid interval (confidence sequence), valid at any look; null when not given. */
  sequentialCi: [string, string] | null;
  sequentialCiMinor: [number, number] | null;
  currency: string;
}

/**
 * Incremental money of a campaign: the per-customer difference (treatment − control, in minor
 * units) times the number of treated customers, i.e. what the offer added across the people who
 * got it, with the interval scaled the same way.
 *
 * @param perCustomer the per-customer difference and its interval, in minor units.
 * @param treatedCustomers customers in the treated group.
 * @param currency ISO 4217 code.
 * @returns estimate and interval, rounded half to even to whole minor units.
 * @throws {MeasurementError} INVALID_PARAMETER for a negative or fractional count.
 * @example
 * incrementalValue({ estimate: 123.4, ci: [20, 226.8] }, 1000, "USD");
 * // { estimate: "1234.00", ci: ["200.00", "2268.00"], estimateMinor: 123400, sequentialCi: null, ... }
 */
export function incrementalValue(
  perCustomer: {
    estimate: number;
    ci: [number, number] | null;
    sequentialCi?: [number, number] | null;
  },
  treatedCustomers: number,
  currency: string,
): MoneyInterval {
  if (!(Number.isSafeInteger(treatedCustomers) && treatedCustomers >= 0)) {
    throw new MeasurementError(
      "INVALID_PARAMETER",
      `treatedCustomers must be a whole number ≥ 0 (got ${treatedCustomers})`,
      { field: "treatedCustomers" },
    );
  }
  const scale = (v: number) => roundHalfEvenMinor(v * treatedCustomers, "incremental amount");
  const estimateMinor = scale(perCustomer.estimate);
  const interval = (ci: [number, number] | null | undefined): [number, number] | null =>
    ci ? [scale(ci[0]), scale(ci[1])] : null;
  const ciMinor = interval(perCustomer.ci);
  const sequentialCiMinor = interval(perCustomer.sequentialCi);
  const text = (minor: number) => formatRoundedMinor(minor, currency, "incremental amount");
  const texts = (ci: [number, number] | null): [string, string] | null =>
    ci ? [text(ci[0]), text(ci[1])] : null;
  return {
    estimate: text(estimateMinor),
    ci: texts(ciMinor),
    estimateMinor,
    ciMinor,
    sequentialCi: texts(sequentialCiMinor),
    sequentialCiMinor,
    currency,
  };
}
