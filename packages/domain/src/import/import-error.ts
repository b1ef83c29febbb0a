/**
 * What can be wrong with an imported record. The codes are stable: the CLI prints them in its
 * reasons and the GraphQL mutations return them as `userErrors.code`.
 */
export type ImportErrorCode =
  /** A required value is empty. */
  | "REQUIRED"
  /** Longer than the column can hold. */
  | "TOO_LONG"
  /** Characters or shape the field does not allow (control characters, non-ASCII ids). */
  | "INVALID_FORMAT"
  | "INVALID_EMAIL"
  /** Not a date, or an impossible one such as 2023-02-30. */
  | "INVALID_DATE"
  /** Later than now plus the allowed tolerance. */
  | "FUTURE_DATE"
  /** Not a plain decimal number. */
  | "INVALID_AMOUNT"
  | "NEGATIVE_AMOUNT"
  /** More decimals than the currency's minor unit. */
  | "TOO_MANY_DECIMALS"
  | "OUT_OF_RANGE"
  | "UNKNOWN_CURRENCY"
  /** An order in a currency other than the store's, which totals cannot add up. */
  | "CURRENCY_MISMATCH"
  | "UNKNOWN_STATUS"
  /** The same external id (or email) appears earlier in the same input. */
  | "DUPLICATE"
  /** An order's customer is neither stored nor part of the same import. */
  | "UNKNOWN_CUSTOMER"
  /** The email already belongs to another customer. */
  | "EMAIL_TAKEN"
  /** An order placed before its customer was first seen (`created_at`). */
  | "BEFORE_CUSTOMER"
  /** The bytes of the row are not valid UTF-8. */
  | "INVALID_ENCODING"
  /** The CSV row has a different number of fields than the header. */
  | "WRONG_FIELD_COUNT"
  /** The CSV text cannot be parsed from this point (e.g. a quote that is never closed). */
  | "MALFORMED_CSV";

/** One problem with one record. */
export interface ImportFieldError {
  /** The column (CSV header name) at fault, or null when the whole row is. */
  field: string | null;
  code: ImportErrorCode;
  /** Says what is wrong and, where useful, what was found. */
  message: string;
}

/** A validator's answer: a typed row ready to store, or every problem found. */
export type RecordValidation<Row> =
  { ok: true; row: Row } | { ok: false; errors: ImportFieldError[] };

/**
 * A record as read from a CSV file or mapped from an API input: column name to raw text.
 * Absent keys and empty strings both mean "no value".
 */
export type ImportRecord = Readonly<Record<string, string | undefined>>;

/** Options shared by the record validators. */
export interface RecordValidationOptions {
  /** The current time; dates later than `now + futureToleranceMs` are refused. */
  now: Date;
  /** Allowed clock skew for dates in the future, in milliseconds. Default: one day. */
  futureToleranceMs?: number;
}

/** Default future tolerance: one day, enough for time zones and clock skew. */
export const DEFAULT_FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

/**
 * Joins the problems of a row into one line, e.g.
 * `email: not a valid email address ("bob@"); amount: must not be negative`.
 */
export function describeErrors(errors: readonly ImportFieldError[]): string {
  return errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join("; ");
}
