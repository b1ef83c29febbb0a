import { problem, type Problem } from "./domain-error";

// C0/C1 controls (line breaks, NUL, escape sequences), the Unicode line and paragraph
// separators, and the bidirectional overrides and isolates, which can make a name shown in the
// admin or the audit log read as something else.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/**
 * Trims a name people will read (a user's, an API key's, a segment's, a tier's) and checks it: no control or
 * bidirectional-override characters, at most `maxLength` characters (code points, as MySQL
 * counts them).
 *
 * @returns the trimmed name, or the user error for `field`.
 * @example cleanDisplayName("  storefront ", "input.name", 120) // "storefront"
 */
export function cleanDisplayName(raw: string, field: string, maxLength: number): string | Problem {
  const name = raw.trim();
  const bad = UNSAFE.exec(name);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    return problem(
      field,
      "INVALID_CHARACTERS",
      `name contains the control character U+${code} at position ${bad.index + 1}; use printable text`,
    );
  }
  const length = [...name].length;
  if (length > maxLength)
    return problem(
      field,
      "TOO_LONG",
      `name has ${length} characters; at most ${maxLength} are allowed`,
    );
  return name;
}
