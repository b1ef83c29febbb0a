/** A nested message object: strings at the leaves. */
export interface MessageTree {
  [key: string]: string | MessageTree;
}

/**
 * Flattens nested messages to `path → text`, e.g. `{ a: { b: "x" } }` → `{ "a.b": "x" }`.
 *
 * @param messages - one locale's messages.
 * @returns a map from dotted key to message, in definition order.
 */
export function flattenMessages(messages: MessageTree, prefix = ""): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    const path = `${prefix}${key}`;
    if (typeof value === "string") flat.set(path, value);
    else for (const [k, v] of flattenMessages(value, `${path}.`)) flat.set(k, v);
  }
  return flat;
}

/**
 * The named placeholders of a message, e.g. "Page {page} of {pages}" → ["page", "pages"].
 *
 * @param message - vue-i18n message text.
 * @returns sorted, de-duplicated placeholder names (literals such as {'@'} excluded).
 */
export function placeholders(message: string): string[] {
  const names = [...message.matchAll(/\{\s*([A-Za-z_][\w]*)\s*\}/g)].map((m) => m[1] ?? "");
  return [...new Set(names)].sort();
}
