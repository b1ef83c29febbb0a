const formatters = new Map<string, Intl.NumberFormat>();

function numberFormatter(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, options);
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Formats a share between 0 and 1 as a percentage.
 *
 * @param share - e.g. 0.234 for 23.4 %.
 * @param locale - a BCP 47 tag.
 * @param fractionDigits - decimals of the percentage (default 1).
 * @returns the localised percentage, or "—" for a value that is not a finite number.
 * @example
 * formatPercent(0.234, "en") // "23.4%"
 */
export function formatPercent(share: number, locale: string, fractionDigits = 1): string {
  if (!Number.isFinite(share)) return "—";
  return numberFormatter(locale, {
    style: "percent",
    minimumFractionDigits: 0,
    maximumFractionDigits: fractionDigits,
  }).format(share);
}

/**
 * Formats a probability as a whole percentage without rounding a near-certainty up to 100 %
 * or a small chance down to 0 %: a reader takes "100%" as "certainly", which a model's
 * estimate of 0.997 is not.
 *
 * @param probability - between 0 and 1.
 * @param locale - a BCP 47 tag.
 * @returns e.g. "87%", ">99%", "<1%"; exactly 0 and 1 stay "0%" and "100%".
 * @example
 * formatProbability(0.9973, "en") // ">99%"
 */
export function formatProbability(probability: number, locale: string): string {
  if (!Number.isFinite(probability)) return "—";
  const whole = numberFormatter(locale, { style: "percent", maximumFractionDigits: 0 });
  if (probability > 0 && probability < 0.01) return `<${whole.format(0.01)}`;
  if (probability > 0.99 && probability < 1) return `>${whole.format(0.99)}`;
  return whole.format(probability);
}

/**
 * Formats a plain number with a bounded number of decimals (counts of expected purchases,
 * ratios, fit statistics).
 *
 * @param value - the number.
 * @param locale - a BCP 47 tag.
 * @param maximumFractionDigits - decimals at most (default 2).
 * @returns the localised number, or "—" for a value that is not a finite number.
 * @example
 * formatDecimal(1234.5678, "en") // "1,234.57"
 */
export function formatDecimal(value: number, locale: string, maximumFractionDigits = 2): string {
  if (!Number.isFinite(value)) return "—";
  return numberFormatter(locale, { maximumFractionDigits }).format(value);
}

/**
 * Formats a fitted parameter or statistic to a number of significant digits, so that both
 * 0.0123 and 4414.2 keep their meaningful digits.
 *
 * @param value - the number.
 * @param locale - a BCP 47 tag.
 * @param digits - significant digits (default 4).
 * @returns the localised number, or "—" for a value that is not a finite number.
 * @example
 * formatSignificant(0.243156, "en") // "0.2432"
 */
export function formatSignificant(value: number, locale: string, digits = 4): string {
  if (!Number.isFinite(value)) return "—";
  return numberFormatter(locale, { maximumSignificantDigits: digits }).format(value);
}
