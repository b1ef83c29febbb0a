import { FIELD_LIMITS } from "./columns";
import { codePointLength, fitsLength } from "./text-fields";

/** Normalised tags joined with ';', or why they cannot be stored. */
export type TagsResult = { ok: true; tags: string } | { ok: false; message: string };

/**
 * Splits a `;`-separated tag list and normalises it: each tag trimmed, inner whitespace
 * collapsed to one space, lower-cased; empty tags dropped; later duplicates removed. The order
 * of first appearance is kept (people order tags on purpose), so the same list in the same
 * order always gives the same text and a re-import does not count as a change.
 *
 * @param text e.g. " VIP ; newsletter;;vip".
 * @returns `{ ok: true, tags: "vip;newsletter" }`, or `{ ok: false, message }` when a tag or
 *   the whole list is longer than the database holds.
 * @example
 * normaliseTags("Gift  Buyer;VIP;vip"); // { ok: true, tags: "gift buyer;vip" }
 */
export function normaliseTags(text: string): TagsResult {
  const tags = new Set<string>();
  for (const raw of text.split(";")) {
    const tag = raw.trim().replace(/\s+/g, " ").toLowerCase();
    if (tag === "") continue;
    if (!fitsLength(tag, FIELD_LIMITS.tag)) {
      return {
        ok: false,
        message: `tag "${tag.slice(0, 20)}…" is longer than ${FIELD_LIMITS.tag} characters`,
      };
    }
    tags.add(tag);
  }
  const joined = [...tags].join(";");
  if (!fitsLength(joined, FIELD_LIMITS.tags)) {
    return {
      ok: false,
      message: `the tags take ${codePointLength(joined)} characters, at most ${FIELD_LIMITS.tags} fit`,
    };
  }
  return { ok: true, tags: joined };
}
