import { currentLocale } from "../i18n";
import { formatDateTime } from "../format/date";
import { formatMoney, type MoneyValue } from "../format/money";

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
    count: (value: number | null | undefined) =>
      value === null || value === undefined
        ? DASH
        : new Intl.NumberFormat(currentLocale.value).format(value),
  };
}
