import { ClvError, MathError, TIME_UNITS, type TimeUnit } from "@valuetier/domain";
import { CliError } from "../../cli-error";
import { parseDay, type InputFormat } from "./read-clv-input";

/** --time-unit: day, week or month. */
export function parseTimeUnit(value: string): TimeUnit {
  if (!(TIME_UNITS as readonly string[]).includes(value)) {
    throw new CliError(
      `--time-unit must be one of ${TIME_UNITS.join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  return value as TimeUnit;
}

/** --format: transactions or summary. */
export function parseFormat(value: string | undefined): InputFormat | undefined {
  if (value === undefined) return undefined;
  if (value !== "transactions" && value !== "summary") {
    throw new CliError(`--format must be transactions or summary, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A date option (YYYY-MM-DD or ISO 8601) as a UTC day number. */
export function parseDateOption(name: string, value: string): number {
  const day = parseDay(value);
  if (day === undefined)
    throw new CliError(`${name} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return day;
}

/** A numeric option within [min, max], optionally a whole number. */
export function parseNumberOption(
  name: string,
  value: string,
  min: number,
  max: number,
  integer = false,
): number {
  const n = Number(value);
  if (
    value.trim() === "" ||
    !Number.isFinite(n) ||
    n < min ||
    n > max ||
    (integer && !Number.isInteger(n))
  ) {
    const kind = integer ? "a whole number" : "a number";
    throw new CliError(
      `${name} must be ${kind} between ${min} and ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/**
 * Turns a domain error into a one-line CliError, prefixed with the input file and line when
 * the error points at a record.
 */
export function toCliError(error: unknown, path: string, lines: ArrayLike<number>): unknown {
  if (error instanceof ClvError) {
    const index = error.location.index;
    const line = index === undefined ? undefined : lines[index];
    return new CliError(
      line === undefined ? `${path}: ${error.message}` : `${path} line ${line}: ${error.message}`,
    );
  }
  if (error instanceof MathError) return new CliError(`${path}: ${error.message}`);
  return error;
}

/** JSON has no NaN: not-a-number statistics (e.g. a correlation of constant data) become null. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
