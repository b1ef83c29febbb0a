import type {
  AUDIENCE_FIELDS,
  Audience,
  AudienceField,
  Comparison,
  Condition,
  FieldKind,
  Literal,
} from "./audience-spec";
import { compareDecimalText, isDecimalText } from "./segment-decimal";
import { fieldKind } from "./segment-fields";
import { resolveDateLiteral, utcDay } from "./segment-relative-date";

/**
 * How the evaluator takes each kind of value. Money is decimal text in the store currency
 * ("12.34"), as the API gives amounts out and as mysql2 returns DECIMAL: exact, and free of the
 * question of which exponent a number of minor units has. Dates are `YYYY-MM-DD` or a Date
 * (its UTC day). Tags are a list, or the stored `;`-separated text.
 */
export interface SegmentValueByKind {
  money: string;
  number: number | string;
  integer: number | string;
  date: string | Date;
  text: string;
  key: string;
  tags: readonly string[] | string;
}

/** A customer as the evaluator sees it: any field may be missing or null (empty). */
export type SegmentCustomer = {
  readonly [F in AudienceField]?: SegmentValueByKind[(typeof AUDIENCE_FIELDS)[F]["kind"]] | null;
};

export interface EvaluateSegmentOptions {
  /** The day relative dates and `today` count from: `YYYY-MM-DD`, or a Date (its UTC day). */
  today: string | Date;
  /** Saved segments an audience may refer to, by id. */
  segments?: ReadonlyMap<number, Audience>;
}

/** A condition's truth in three-valued logic: a test on an empty field is "unknown". */
export type SegmentTruth = true | false | "unknown";

/** How deep saved segments may refer to one another (as the SQL compiler allows). */
const MAX_SEGMENT_DEPTH = 10;

/**
 * Whether a customer is in an audience: the reference the SQL compiler is tested against.
 *
 * The logic is SQL's three-valued one with one product rule. A test on an empty field (null,
 * missing, empty text, no tags) is unknown; AND and OR are Kleene's (false AND unknown is
 * false, true OR unknown is true); NOT keeps the customers for whom its condition is not
 * true, so NOT unknown is true: `NOT tier = 'high'` includes customers with no tier. A customer
 * is in the audience when the whole condition is true.
 *
 * Text equality ignores case (names, emails and channels are compared as MySQL's
 * case-insensitive collation does), except `external_id`, which is exact. CONTAINS on text is
 * a case-insensitive substring; on tags it is a whole tag, normalised as stored (trimmed,
 * spaces collapsed, lower case).
 *
 * @param audience the audience (`EVERYONE` includes every customer).
 * @param customer the customer's fields.
 * @param options `today`, and the saved segments the audience refers to.
 * @returns true when the customer is in the audience.
 * @throws {RangeError} for a customer value of the wrong shape (money "12,5", a bad date) or an
 *   audience the parser would not produce (a date literal on a money field, `<` on text, a
 *   missing saved segment).
 * @example
 * evaluateSegment(parsed.audience, { tier: "high", p_alive: 0.2, last_order_date: "2024-01-02" }, { today: "2024-06-01" });
 * // true for tier IN ('high', 'mid_high') AND p_alive < 0.3 AND last_order_date < -90d
 */
export function evaluateSegment(
  audience: Audience,
  customer: SegmentCustomer,
  options: EvaluateSegmentOptions,
): boolean {
  if (audience.condition === null) return true;
  return evaluateCondition(audience.condition, customer, options) === true;
}

/**
 * The three-valued truth of one condition for a customer (see {@link evaluateSegment}).
 *
 * @param condition the condition.
 * @param customer the customer's fields.
 * @param options `today` and saved segments.
 * @returns true, false or "unknown".
 * @throws {RangeError} as {@link evaluateSegment}.
 * @example
 * evaluateCondition({ type: "compare", field: "nps", op: ">", value: { type: "number", value: "8" } }, {}, { today: "2024-01-01" });
 * // "unknown": the customer has no NPS
 */
export function evaluateCondition(
  condition: Condition,
  customer: SegmentCustomer,
  options: EvaluateSegmentOptions,
): SegmentTruth {
  const today = utcDay(options.today);
  const evaluate = (c: Condition, depth: number): SegmentTruth => {
    switch (c.type) {
      case "and": {
        let result: SegmentTruth = true;
        for (const part of c.conditions) {
          const t = evaluate(part, depth);
          if (t === false) return false;
          if (t === "unknown") result = "unknown";
        }
        return result;
      }
      case "or": {
        let result: SegmentTruth = false;
        for (const part of c.conditions) {
          const t = evaluate(part, depth);
          if (t === true) return true;
          if (t === "unknown") result = "unknown";
        }
        return result;
      }
      case "not":
        return evaluate(c.condition, depth) !== true;
      case "segment": {
        if (depth >= MAX_SEGMENT_DEPTH) {
          throw new RangeError(`segments refer to each other more than ${MAX_SEGMENT_DEPTH} deep`);
        }
        const segment = options.segments?.get(c.segmentId);
        if (!segment) throw new RangeError(`segment ${c.segmentId} does not exist`);
        return segment.condition === null ? true : evaluate(segment.condition, depth + 1);
      }
      default:
        return test(c, customer, today);
    }
  };
  return evaluate(condition, 0);
}

type Test = Exclude<Condition, { type: "and" | "or" | "not" | "segment" }>;

function test(c: Test, customer: SegmentCustomer, today: string): SegmentTruth {
  const kind = fieldKind(c.field);
  const raw: unknown = customer[c.field];
  const empty = isEmpty(raw, kind);
  if (c.type === "isNull") return empty;
  if (empty) return "unknown";
  switch (c.type) {
    case "compare":
      return compare(c.field, kind, raw, c.op, c.value, today);
    case "in":
      return c.values.some((v) => compare(c.field, kind, raw, "=", v, today) === true);
    case "between":
      return (
        compare(c.field, kind, raw, ">=", c.low, today) === true &&
        compare(c.field, kind, raw, "<=", c.high, today) === true
      );
    case "contains":
      return contains(c.field, kind, raw, c.value);
  }
}

function isEmpty(raw: unknown, kind: FieldKind): boolean {
  if (raw === null || raw === undefined) return true;
  // Empty text is stored for an unknown name and for no tags: it is as empty as NULL.
  if (kind === "text" || kind === "tags") {
    if (typeof raw === "string") return raw === "" || (kind === "tags" && tagsOf(raw).length === 0);
    if (Array.isArray(raw)) return tagsOf(raw).length === 0;
  }
  return false;
}

function compare(
  field: AudienceField,
  kind: FieldKind,
  raw: unknown,
  op: Comparison,
  literal: Literal,
  today: string,
): boolean {
  const order = (): -1 | 0 | 1 => {
    switch (kind) {
      case "money":
        return compareDecimalText(money(field, raw), numberLiteral(field, literal));
      case "integer":
      case "number": {
        const value = numeric(field, raw);
        const written = numberLiteral(field, literal);
        // A JavaScript number is a double, as the column is: compare as doubles then.
        if (typeof value === "number") return Math.sign(value - Number(written)) as -1 | 0 | 1;
        return compareDecimalText(value, written);
      }
      case "date": {
        const day = dayOf(field, raw);
        const other = resolveDateLiteral(literal, today);
        return day === other ? 0 : day < other ? -1 : 1;
      }
      default:
        throw new RangeError(`${field} holds ${kind}, which has no order`);
    }
  };
  if (kind === "text" || kind === "key") {
    if (op !== "=" && op !== "!=")
      throw new RangeError(`${field} holds ${kind}: only = and != compare it`);
    if (literal.type !== "string")
      throw new RangeError(`${field} takes a string, not a ${literal.type}`);
    const equal = textEquals(field, kind, text(field, raw), literal.value);
    return op === "=" ? equal : !equal;
  }
  if (kind === "tags")
    throw new RangeError(`${field} holds tags: only CONTAINS and IS NULL test it`);
  const o = order();
  switch (op) {
    case "=":
      return o === 0;
    case "!=":
      return o !== 0;
    case "<":
      return o < 0;
    case "<=":
      return o <= 0;
    case ">":
      return o > 0;
    case ">=":
      return o >= 0;
  }
}

function contains(field: AudienceField, kind: FieldKind, raw: unknown, needle: string): boolean {
  if (kind === "tags") return tagsOf(raw).includes(normaliseTag(needle));
  if (kind === "text") return text(field, raw).toLowerCase().includes(needle.toLowerCase());
  throw new RangeError(`${field} holds ${kind}: CONTAINS tests text and tags only`);
}

function textEquals(
  field: AudienceField,
  kind: FieldKind,
  value: string,
  written: string,
): boolean {
  // External ids are exact (a binary collation in the database); other text ignores case.
  if (kind === "key" || field === "external_id") return value === written;
  return value.toLowerCase() === written.toLowerCase();
}

/** As normaliseTags stores a tag: trimmed, inner spaces collapsed, lower case. */
function normaliseTag(tag: string): string {
  return tag.trim().replace(/\s+/g, " ").toLowerCase();
}

function tagsOf(raw: unknown): string[] {
  const list = typeof raw === "string" ? raw.split(";") : Array.isArray(raw) ? raw : undefined;
  if (list === undefined)
    throw new RangeError("tags must be a list of strings or ';'-separated text");
  return list
    .map((t: unknown) => {
      if (typeof t !== "string") throw new RangeError("tags must be strings");
      return normaliseTag(t);
    })
    .filter((t) => t !== "");
}

function money(field: AudienceField, raw: unknown): string {
  if (typeof raw === "string" && isDecimalText(raw)) return raw;
  throw new RangeError(
    `${field} must be an amount as decimal text such as "12.34", got ${show(raw)}`,
  );
}

function numeric(field: AudienceField, raw: unknown): number | string {
  if (typeof raw === "number" && Number.isFinite(raw)) return raw;
  if (typeof raw === "string" && isDecimalText(raw)) return raw;
  throw new RangeError(`${field} must be a finite number or decimal text, got ${show(raw)}`);
}

function text(field: AudienceField, raw: unknown): string {
  if (typeof raw === "string") return raw;
  throw new RangeError(`${field} must be text, got ${show(raw)}`);
}

function dayOf(field: AudienceField, raw: unknown): string {
  if (typeof raw === "string" || raw instanceof Date) return utcDay(raw);
  throw new RangeError(`${field} must be a day YYYY-MM-DD or a Date, got ${show(raw)}`);
}

function numberLiteral(field: AudienceField, literal: Literal): string {
  if (literal.type === "number" && isDecimalText(literal.value)) return literal.value;
  throw new RangeError(`${field} takes a number, not a ${literal.type}`);
}

function show(raw: unknown): string {
  return typeof raw === "string" ? JSON.stringify(raw) : String(raw);
}
