/**
 * Indents JSON text for reading (audit entries store before/after states as JSON text).
 *
 * @param text - JSON text, or null.
 * @returns the indented JSON; the text unchanged when it is not JSON; null for null.
 * @example
 * prettyJson('{"a":1}') // '{\n  "a": 1\n}'
 */
export function prettyJson(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
