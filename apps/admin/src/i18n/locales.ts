/** Languages of the admin UI. */
export const SUPPORTED_LOCALES = ["en", "zh-TW"] as const;
export type AppLocale = (typeof SUPPORTED_LOCALES)[number];

export const LOCALE_STORAGE_KEY = "valuetier.locale";

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === "string" && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/**
 * The language to start in: the stored choice, else Traditional Chinese for browsers asking
 * for zh-TW / zh-HK / zh-Hant, else English.
 *
 * @returns a supported locale.
 */
export function initialLocale(): AppLocale {
  try {
    const stored = localStorage.getItem(LOCALE_STORAGE_KEY);
    if (isAppLocale(stored)) return stored;
  } catch {
    // Storage disabled: fall through to the browser language.
  }
  const preferred = typeof navigator === "undefined" ? [] : navigator.languages;
  return preferred.some((lang) => /^zh-(TW|HK|MO|Hant)/i.test(lang)) ? "zh-TW" : "en";
}

/** Remembers the user's choice for the next visit. */
export function storeLocale(locale: AppLocale): void {
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Storage disabled: the choice lasts for this page only.
  }
}
