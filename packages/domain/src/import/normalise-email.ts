/** A normalised email address, or why the text is not one. */
export type EmailResult = { ok: true; email: string } | { ok: false; message: string };

// A pragmatic subset of RFC 5322 addr-spec that mail systems accept in practice: an ASCII
// dot-atom local part and a domain of LDH labels with an alphabetic top-level label. Quoted
// local parts and address literals are refused on purpose: nobody signs up with them, and
// they are a favourite of injection attempts.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/**
 * Checks an email address and normalises it to lower case (MySQL compares emails
 * case-insensitively, so "Ann@x.com" and "ann@x.com" are the same customer anyway).
 *
 * @param text the address; surrounding whitespace is ignored.
 * @returns `{ ok: true, email }` in lower case, or `{ ok: false, message }`.
 * @example
 * normaliseEmail(" Ann.Lee@Example.COM "); // { ok: true, email: "ann.lee@example.com" }
 * normaliseEmail("ann@"); // { ok: false, … }
 */
export function normaliseEmail(text: string): EmailResult {
  const trimmed = text.trim();
  const at = trimmed.lastIndexOf("@");
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1);
  if (
    at <= 0 ||
    trimmed.length > 254 ||
    local.length > 64 ||
    !LOCAL.test(local) ||
    !DOMAIN.test(domain)
  ) {
    return { ok: false, message: `not a valid email address (${JSON.stringify(text)})` };
  }
  return { ok: true, email: trimmed.toLowerCase() };
}
