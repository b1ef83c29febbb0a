/** The columns of an import file: required ones must be in the header, optional ones may be. */
export interface ColumnSpec {
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

/** customers.csv (see CONTRACTS.md). */
export const CUSTOMER_COLUMNS: ColumnSpec = {
  required: [
    "external_id",
    "email",
    "name",
    "created_at",
    "acquisition_channel",
    "acquisition_cost",
  ],
  optional: ["tags", "nps"],
};

/** orders.csv (see CONTRACTS.md). */
export const ORDER_COLUMNS: ColumnSpec = {
  required: [
    "external_id",
    "customer_external_id",
    "placed_at",
    "amount",
    "margin",
    "currency",
    "status",
  ],
  optional: [],
};

/**
 * Longest values, in characters, that the database columns hold (customers and orders tables
 * of the initial migration).
 */
export const FIELD_LIMITS = {
  externalId: 191,
  email: 254,
  name: 255,
  acquisitionChannel: 64,
  /** All tags of a customer joined with ';'. */
  tags: 1024,
  /** One tag. */
  tag: 64,
} as const;

/**
 * The required columns a header lacks. Header names are compared after trimming and
 * lower-casing, as the CSV reader does.
 *
 * @param header the header row's names.
 * @param spec the file's columns.
 * @returns the missing column names, in the spec's order (empty when none is missing).
 * @example
 * missingColumns(["external_id", "email"], CUSTOMER_COLUMNS); // ["name", "created_at", …]
 */
export function missingColumns(header: readonly string[], spec: ColumnSpec): string[] {
  const present = new Set(header.map((name) => name.trim().toLowerCase()));
  return spec.required.filter((column) => !present.has(column));
}
