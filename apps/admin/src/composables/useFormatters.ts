import { currentLocale } from "../i18n";
import { formatDateTime, formatTime } from "../format/date";
import { formatMoney, type MoneyValue } from "../format/money";
import {
  formatDecimal,
  formatPercent,
  formatProbability,
  formatSignificant,
} from "../format/number";

const DASH = "—";

/**
 * Locale-bound formatters for templates and table render functions; they read the current
 * UI language on each call, so output follows the language switcher.
 */
export function useFormatters() {
  return {
    money: (value: MoneyValue | null | undefined) =>
      value ? formatMoney(value, currentLocale.value) : DASH,
    date: (iso: string | null | undefined) =>
      iso ? formatDateTime(iso, currentLocale.value) : DASH,
    dateTime: (iso: string | null | undefined) =>
      iso ? formatDateTime(iso, currentLocale.value, true) : DASH,
    /** Hours and minutes only, for a time on a day already shown. */
    time: (iso: string | null | undefined) => (iso ? formatTime(iso, currentLocale.value) : DASH),
    count: (value: number | null | undefined) =>
      value === null || value === undefined
        ? DASH
        : new Intl.NumberFormat(currentLocale.value).format(value),
    /** A share 0–1 as a percentage, e.g. 0.234 → "23.4%". */
    percent: (value: number | null | undefined, fractionDigits = 1) =>
      value === null || value === undefined
        ? DASH
        : formatPercent(value, currentLocale.value, fractionDigits),
    /** A probability 0–1 as a whole percentage that never rounds to certainty (">99%"). */
    probability: (value: number | null | undefined) =>
      value === null || value === undefined ? DASH : formatProbability(value, currentLocale.value),
    decimal: (value: number | null | undefined, maximumFractionDigits = 2) =>
      value === null || value === undefined
        ? DASH
        : formatDecimal(value, currentLocale.value, maximumFractionDigits),
    /** Fitted parameters and statistics: four significant digits. */
    significant: (value: number | null | undefined, digits = 4) =>
      value === null || value === undefined
        ? DASH
        : formatSignificant(value, currentLocale.value, digits),
  };
}
