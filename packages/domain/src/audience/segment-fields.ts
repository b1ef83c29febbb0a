import { AUDIENCE_FIELDS, type AudienceField, type FieldKind } from "./audience-spec";

/** What a test does with its field, to check it against the field's kind. */
export type SegmentOperation = "=" | "!=" | "order" | "in" | "between" | "contains" | "isNull";

const ORDERED: readonly SegmentOperation[] = ["=", "!=", "order", "in", "between", "isNull"];

/** Which operations each kind of field accepts. */
export const SEGMENT_OPERATIONS: Readonly<Record<FieldKind, readonly SegmentOperation[]>> = {
  money: ORDERED,
  number: ORDERED,
  integer: ORDERED,
  date: ORDERED,
  text: ["=", "!=", "in", "contains", "isNull"],
  key: ["=", "!=", "in", "isNull"],
  tags: ["contains", "isNull"],
};

const OPERATIONS_IN_WORDS: Readonly<Record<FieldKind, string>> = {
  money: "=, !=, <, <=, >, >=, [NOT] IN, BETWEEN or IS [NOT] NULL",
  number: "=, !=, <, <=, >, >=, [NOT] IN, BETWEEN or IS [NOT] NULL",
  integer: "=, !=, <, <=, >, >=, [NOT] IN, BETWEEN or IS [NOT] NULL",
  date: "=, !=, <, <=, >, >=, [NOT] IN, BETWEEN or IS [NOT] NULL",
  text: "=, !=, [NOT] IN, [NOT] CONTAINS or IS [NOT] NULL",
  key: "=, !=, [NOT] IN or IS [NOT] NULL",
  tags: "[NOT] CONTAINS or IS [NOT] NULL",
};

const KIND_IN_WORDS: Readonly<Record<FieldKind, string>> = {
  money: "an amount",
  number: "a number",
  integer: "a whole number",
  date: "a date",
  text: "text",
  key: "a key",
  tags: "a set of tags",
};

/**
 * Fields the product will have but this version does not: the parser names them as such
 * instead of calling them unknown. Empty now that loyalty and campaigns brought theirs.
 */
export const FIELDS_NOT_AVAILABLE_YET: Readonly<Record<string, string>> = {};

const FIELD_BY_LOWER_NAME: ReadonlyMap<string, AudienceField> = new Map(
  (Object.keys(AUDIENCE_FIELDS) as AudienceField[]).map((f) => [f.toLowerCase(), f]),
);

/** Every field name of the language, in the order of {@link AUDIENCE_FIELDS}. */
export const SEGMENT_FIELD_NAMES: readonly AudienceField[] = Object.keys(
  AUDIENCE_FIELDS,
) as AudienceField[];

/**
 * The field a word names, ignoring case. Only the language's own fields: `constructor` or
 * `__proto__` are not fields.
 *
 * @param word a word from the segment text.
 * @returns the field, or undefined.
 * @example
 * segmentField("Last_Order_Date"); // "last_order_date"
 * segmentField("toString"); // undefined
 */
export function segmentField(word: string): AudienceField | undefined {
  return FIELD_BY_LOWER_NAME.get(word.toLowerCase());
}

/**
 * The kind of a field (money, date, key, …).
 *
 * @param field a field of the language.
 * @returns its {@link FieldKind}.
 * @example
 * fieldKind("clv"); // "money"
 */
export function fieldKind(field: AudienceField): FieldKind {
  return AUDIENCE_FIELDS[field].kind;
}

/**
 * The fixed values of a key field (churn risk, lifecycle stage, RFM group), or undefined for
 * fields whose values are not fixed (tier keys are data).
 *
 * @param field a field of the language.
 * @returns the allowed values, or undefined.
 * @example
 * fixedValues("churn_risk"); // ["low", "medium", "high"]
 * fixedValues("tier"); // undefined
 */
export function fixedValues(field: AudienceField): readonly string[] | undefined {
  const spec = AUDIENCE_FIELDS[field];
  return "values" in spec ? spec.values : undefined;
}

/**
 * Whether a field accepts an operation.
 *
 * @param field a field of the language.
 * @param operation what the test does.
 * @returns true when the field's kind allows it.
 * @example
 * acceptsOperation("tags", "order"); // false: tags < 3 means nothing
 */
export function acceptsOperation(field: AudienceField, operation: SegmentOperation): boolean {
  return SEGMENT_OPERATIONS[fieldKind(field)].includes(operation);
}

/**
 * A sentence saying what a field holds and which operators it takes, for error messages.
 *
 * @param field a field of the language.
 * @returns e.g. `tags holds a set of tags and takes [NOT] CONTAINS or IS [NOT] NULL`.
 * @example
 * describeOperations("tier"); // "tier holds a key and takes =, !=, [NOT] IN or IS [NOT] NULL"
 */
export function describeOperations(field: AudienceField): string {
  const kind = fieldKind(field);
  const holds = field === "campaign" ? "a set of campaign keys" : KIND_IN_WORDS[kind];
  return `${field} holds ${holds} and takes ${OPERATIONS_IN_WORDS[kind]}`;
}

/**
 * The operators a field takes, for the `expected` part of an error.
 *
 * @param field a field of the language.
 * @returns e.g. `[NOT] CONTAINS or IS [NOT] NULL`.
 * @example
 * operationsInWords("tags"); // "[NOT] CONTAINS or IS [NOT] NULL"
 */
export function operationsInWords(field: AudienceField): string {
  return OPERATIONS_IN_WORDS[fieldKind(field)];
}
