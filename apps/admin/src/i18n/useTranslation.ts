import { useI18n } from "vue-i18n";
import type { MessageSchema } from "./en";

/** Dotted paths to every message, e.g. "customers.columns.name". */
type MessagePaths<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string
    ? `${Prefix}${K}`
    : MessagePaths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageKey = MessagePaths<MessageSchema>;

/** vue-i18n's `t`, narrowed to keys that exist in the English messages. */
export interface Translate {
  (key: MessageKey): string;
  (key: MessageKey, named: Record<string, unknown>): string;
  (key: MessageKey, named: Record<string, unknown>, plural: number): string;
}

/**
 * `useI18n()` with checked keys: vue-i18n's own `t` accepts any string, so a typo such as
 * `t("customers.titel")` would render the raw key; through this it fails the typecheck.
 *
 * @returns `{ t }` bound to the global (app-wide) locale.
 */
export function useTranslation(): { t: Translate } {
  const { t } = useI18n();
  return { t: t as Translate };
}
