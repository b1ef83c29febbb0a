import { computed } from "vue";
import { createI18n } from "vue-i18n";
import { dateEnUS, dateZhTW, enUS, zhTW as naiveZhTW } from "naive-ui";
import en, { type MessageSchema } from "./en";
import zhTW from "./zh-TW";
import { initialLocale, storeLocale, type AppLocale } from "./locales";

export const messages: Record<AppLocale, MessageSchema> = { en, "zh-TW": zhTW };

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: "en",
  messages,
});

/** The current UI language. */
export const currentLocale = computed<AppLocale>(() => i18n.global.locale.value);

/**
 * Switches the UI language, remembers it, and tells the browser (for fonts and screen readers).
 *
 * @param locale - the language to switch to.
 */
export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  storeLocale(locale);
  document.documentElement.lang = locale;
}

/** naive-ui's own strings (date pickers, empty tables) follow the UI language. */
export const naiveLocale = computed(() =>
  currentLocale.value === "zh-TW"
    ? { locale: naiveZhTW, dateLocale: dateZhTW }
    : { locale: enUS, dateLocale: dateEnUS },
);
