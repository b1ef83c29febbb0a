const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Whether a text is a plain decimal number: optional sign, digits, optionally a point and
 * digits ("12", "-0.5", "+3.10"; not "1e5", ".5" or "1.").
 *
 * @param text the candidate.
 * @returns true for plain decimals.
 * @example
 * isDecimalText("12.50"); // true
 * isDecimalText("1e5"); // false
 */
export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text);
}

/**
 * Compares two decimal numbers written as text, exactly: digit by digit, never through a
 * binary float, so amounts of any size compare as written. Leading zeros, trailing fractional
 * zeros and the sign of zero do not matter ("-0" = "0.00").
 *
 * @param a a plain decimal (see {@link isDecimalText}).
 * @param b another.
 * @returns -1 when a < b, 0 when equal, 1 when a > b.
 * @throws {RangeError} when either is not a plain decimal.
 * @example
 * compareDecimalText("12.5", "12.50"); // 0
 * compareDecimalText("-3", "2"); // -1
 * compareDecimalText("100.01", "99.999"); // 1
 */
export function compareDecimalText(a: string, b: string): -1 | 0 | 1 {
  const x = split(a);
  const y = split(b);
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const magnitude = compareMagnitude(x, y);
  return x.negative ? (-magnitude as -1 | 0 | 1) || 0 : magnitude;
}

interface Parts {
  negative: boolean;
  whole: string;
  fraction: string;
}

function split(text: string): Parts {
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a plain decimal number such as 12.34`);
  const whole = m[2]!.replace(/^0+(?=\d)/, "");
  const fraction = (m[3] ?? "").replace(/0+$/, "");
  // Zero has no sign, so that -0 and 0 compare equal.
  const isZero = whole === "0" && fraction === "";
  return { negative: m[1] === "-" && !isZero, whole, fraction };
}

function compareMagnitude(x: Parts, y: Parts): -1 | 0 | 1 {
  if (x.whole.length !== y.whole.length) return x.whole.length < y.whole.length ? -1 : 1;
  if (x.whole !== y.whole) return x.whole < y.whole ? -1 : 1;
  const length = Math.max(x.fraction.length, y.fraction.length);
  const fx = x.fraction.padEnd(length, "0");
  const fy = y.fraction.padEnd(length, "0");
  if (fx === fy) return 0;
  return fx < fy ? -1 : 1;
}
