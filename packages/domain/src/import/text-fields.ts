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
 * Reads a required external id: printable ASCII only, so that it compares the same way in
 * MySQL's case-insensitive collation and everywhere else (ids are matched case-insensitively).
 */
export function externalId(
  value: string | undefined,
  field: string,
  limit: number,
  errors: ImportFieldError[],
): string | null {
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
 * The key under which an external id is matched: MySQL compares them case-insensitively, and
 * ids are printable ASCII, so folding the case is exact. Upper case because ids usually are
 * already (C0001, O-123): V8 then returns the very same string, which keeps the import's
 * duplicate map from holding a second copy of every id.
 */
export function externalIdKey(id: string): string {
  return id.toUpperCase();
}
