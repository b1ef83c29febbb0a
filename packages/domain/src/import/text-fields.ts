import type { ImportFieldError } from "./import-error";

// C0 and C1 control characters other than tab, which a person cannot see or type in a form.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** Length in Unicode code points, which is how MySQL counts VARCHAR length. */
export function codePointLength(text: string): number {
  let surrogatePairs = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) surrogatePairs++;
  }
  return text.length - surrogatePairs;
}

/** Whether `text` fits in `limit` characters (code points). */
export function fitsLength(text: string, limit: number): boolean {
  // UTF-16 length is never smaller than the code point count, so the common case is one check.
  return text.length <= limit || codePointLength(text) <= limit;
}

/** Reads an optional text field: trimmed, checked for length and control characters. */
export function optionalText(
  value: string | undefined,
  field: string,
  limit: number,
  errors: ImportFieldError[],
): string | null {
  const text = value?.trim() ?? "";
  if (text === "") return null;
  if (!fitsLength(text, limit)) {
    errors.push({
      field,
      code: "TOO_LONG",
      message: `is ${codePointLength(text)} characters long, at most ${limit} fit`,
    });
    return null;
  }
  if (CONTROL.test(text)) {
    errors.push({ field, code: "INVALID_FORMAT", message: "contains control characters" });
    return null;
  }
  return text;
}

/** Reads a required text field; reports REQUIRED when it is empty. */
export function requiredText(
  value: string | undefined,
  field: string,
  limit: number,
  errors: ImportFieldError[],
): string | null {
  const before = errors.length;
  const text = optionalText(value, field, limit, errors);
  if (text === null && errors.length === before) {
    errors.push({ field, code: "REQUIRED", message: "is required" });
  }
  return text;
}

/**
 * Reads a required external id. Ids are exact: compared byte for byte (a binary collation in
 * MySQL, BINARY in SQLite), so `c1` and `C1` are two customers. They are printable ASCII with
 * no space at either end: MySQL's binary collations still ignore trailing spaces when
 * comparing, so an id that ended in one would match its trimmed twin; refusing such ids (rather
 * than trimming them silently) keeps "exact" true everywhere.
 */
export function externalId(
  value: string | undefined,
  field: string,
  limit: number,
  errors: ImportFieldError[],
): string | null {
  if (value !== undefined && value !== value.trim() && value.trim() !== "") {
    errors.push({
      field,
      code: "INVALID_FORMAT",
      message: `must not start or end with white space (ids are compared exactly), got ${JSON.stringify(value)}`,
    });
    return null;
  }
  const text = requiredText(value, field, limit, errors);
  if (text !== null && !PRINTABLE_ASCII.test(text)) {
    errors.push({
      field,
      code: "INVALID_FORMAT",
      message: `may only contain printable ASCII characters, got ${JSON.stringify(text)}`,
    });
    return null;
  }
  return text;
}

/**
 * The key under which an external id is matched in memory: the id itself, since ids are exact
 * (see {@link externalId}). One function, so that every map of ids agrees with the database.
 */
export function externalIdKey(id: string): string {
  return id;
}
