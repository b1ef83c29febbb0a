import type { Audience, AudienceField, Condition, Literal } from "./audience-spec";
import { isKnownCurrency } from "../money/currency";
import { parseMoney } from "../money/parse-money";
import { segmentError, type SegmentError } from "./segment-error";
import {
  acceptsOperation,
  describeOperations,
  FIELDS_NOT_AVAILABLE_YET,
  fieldKind,
  fixedValues,
  operationsInWords,
  SEGMENT_FIELD_NAMES,
  segmentField,
  type SegmentOperation,
} from "./segment-fields";
import { closestWord } from "./segment-suggest";
import { readSegmentToken, type SegmentToken } from "./segment-tokenize";

/** The bounds that keep parsing cheap on any input, hostile or not. */
export const SEGMENT_LIMITS = {
  /**
   * Characters other than spaces, tabs and line breaks. Whitespace is not counted so that the
   * printed form of anything accepted (which adds spaces around operators) is accepted too.
   */
  maxSignificantCharacters: 10_000,
  /** Characters in all, whitespace included. */
  maxLength: 100_000,
  /** Parentheses and NOTs inside one another. */
  maxDepth: 50,
  /** Values in one IN list. */
  maxInValues: 1_000,
} as const;

export interface ParseSegmentOptions {
  /**
   * The store currency (ISO 4217). When given, amounts with more decimals than it has
   * (12.345 in USD) are refused with their position; without it amounts are not checked.
   */
  currency?: string;
}

export type SegmentParseResult =
  { ok: true; audience: Audience } | { ok: false; error: SegmentError };

const KEYWORDS = new Set(["and", "or", "not", "in", "between", "contains", "is", "null", "today"]);

/** Carries a positioned error out of the recursion to {@link parseSegment}, never further. */
class Stop {
  constructor(readonly error: SegmentError) {}
}

/**
 * Parses a segment, e.g. `tier IN ('high', 'mid_high') AND p_alive < 0.3 AND last_order_date < -90d`,
 * into an {@link Audience}. Keywords and field names are case-insensitive. Every test is
 * checked against its field's kind (no `tags < 3`, no `churn_risk = 'hgih'`), and everything
 * refused comes back as an error with its offset, line, column, what was expected and what was
 * found. Runs in time linear in the text, with bounded recursion ({@link SEGMENT_LIMITS}).
 *
 * `a AND (b AND c)` gives one AND of three conditions (likewise OR), so that printing and
 * parsing again gives the same audience. `x NOT IN (…)`, `x NOT CONTAINS …` and
 * `x IS NOT NULL` are a NOT around the IN, CONTAINS or IS NULL test.
 *
 * @param text the segment.
 * @param options the store currency, to check the decimals of amounts.
 * @returns `{ ok: true, audience }` or `{ ok: false, error }`; never throws for any text.
 * @throws {RangeError} when `options.currency` is not a known currency (a caller's mistake).
 * @example
 * parseSegment("nps >= 9");
 * // { ok: true, audience: { condition: { type: "compare", field: "nps", op: ">=", value: { type: "number", value: "9" } } } }
 * parseSegment("clv >").ok; // false: expected a value after ">" at line 1, column 6, found end of input
 */
export function parseSegment(text: string, options: ParseSegmentOptions = {}): SegmentParseResult {
  if (options.currency !== undefined && !isKnownCurrency(options.currency)) {
    throw new RangeError(`parseSegment: unknown currency "${options.currency}"`);
  }
  const tooLong = checkLength(text);
  if (tooLong) return { ok: false, error: tooLong };
  try {
    return { ok: true, audience: { condition: new Parser(text, options.currency).parse() } };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, error: e.error };
    throw e;
  }
}

function checkLength(text: string): SegmentError | undefined {
  const { maxLength, maxSignificantCharacters: max } = SEGMENT_LIMITS;
  if (text.length > maxLength) {
    return segmentError(text, maxLength, text.length - maxLength, {
      head: `a segment is at most ${maxLength.toLocaleString("en")} characters long; it goes on`,
      tail: "",
      expected: "end of input",
      found: "more text",
    });
  }
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (++count > max) {
      return segmentError(text, i, text.length - i, {
        head: `a segment holds at most ${max.toLocaleString("en")} characters besides spaces and line breaks; it goes on`,
        tail: "",
        expected: "end of input",
        found: "more text",
      });
    }
  }
  return undefined;
}

class Parser {
  private token: SegmentToken;
  private previous: SegmentToken | undefined;

  constructor(
    private readonly text: string,
    private readonly currency: string | undefined,
  ) {
    this.token = this.read(0);
  }

  parse(): Condition {
    const condition = this.query(0);
    if (this.token.kind !== "end") this.fail("AND, OR or end of input");
    return condition;
  }

  private query(depth: number): Condition {
    const terms = [this.term(depth)];
    while (this.isWord("or")) {
      this.advance();
      terms.push(this.term(depth));
    }
    return join("or", terms);
  }

  private term(depth: number): Condition {
    const factors = [this.factor(depth)];
    while (this.isWord("and")) {
      this.advance();
      factors.push(this.factor(depth));
    }
    return join("and", factors);
  }

  private factor(depth: number): Condition {
    if (this.isWord("not") || this.token.kind === "(") {
      if (depth >= SEGMENT_LIMITS.maxDepth) {
        this.stop(this.token, {
          head: `conditions nest at most ${SEGMENT_LIMITS.maxDepth} deep (parentheses and NOT); this one goes deeper`,
          tail: "",
          expected: "a test such as tier = 'high'",
          found: describe(this.text, this.token),
        });
      }
      if (this.isWord("not")) {
        this.advance();
        return { type: "not", condition: this.factor(depth + 1) };
      }
      this.advance();
      const inner = this.query(depth + 1);
      this.expect(")", '")"');
      return inner;
    }
    return this.test();
  }

  private test(): Condition {
    const fieldToken = this.token;
    if (fieldToken.kind !== "word" || KEYWORDS.has(fieldToken.text.toLowerCase())) {
      this.fail('a condition (a field name, NOT or "(")');
    }
    const field = this.field(fieldToken);
    this.advance();

    const at = this.token;
    if (at.kind === "op") {
      this.allow(field, at, at.op === "=" || at.op === "!=" ? at.op : "order");
      this.advance();
      return { type: "compare", field, op: at.op, value: this.value(field) };
    }
    if (this.isWord("not")) {
      this.advance();
      const after = this.token;
      if (this.isWord("in")) return { type: "not", condition: this.inList(field) };
      if (this.isWord("contains")) return { type: "not", condition: this.contains(field) };
      return this.fail("IN or CONTAINS", after);
    }
    if (this.isWord("in")) return this.inList(field);
    if (this.isWord("contains")) return this.contains(field);
    if (this.isWord("between")) {
      this.allow(field, at, "between");
      this.advance();
      const low = this.value(field);
      this.expectWord("and", "AND");
      const high = this.value(field);
      return { type: "between", field, low, high };
    }
    if (this.isWord("is")) {
      this.advance();
      const negated = this.isWord("not");
      if (negated) this.advance();
      this.expectWord("null", "NULL");
      const test: Condition = { type: "isNull", field };
      return negated ? { type: "not", condition: test } : test;
    }
    return this.fail(`an operator (${operationsInWords(field)})`);
  }

  private field(token: SegmentToken & { kind: "word" }): AudienceField {
    const field = segmentField(token.text);
    if (field) return field;
    const lower = token.text.toLowerCase();
    const later = Object.hasOwn(FIELDS_NOT_AVAILABLE_YET, lower)
      ? FIELDS_NOT_AVAILABLE_YET[lower]
      : undefined;
    if (later) {
      this.stop(token, {
        head: `${lower} is not available yet (it comes with ${later})`,
        tail: "",
        expected: "a field name",
        found: describe(this.text, token),
      });
    }
    const guess = closestWord(token.text, SEGMENT_FIELD_NAMES);
    return this.stop(token, {
      head: `unknown field ${describe(this.text, token)}`,
      tail: guess
        ? ` (did you mean ${guess}?)`
        : `; the fields are ${SEGMENT_FIELD_NAMES.join(", ")}`,
      expected: "a field name",
      found: describe(this.text, token),
    });
  }

  private inList(field: AudienceField): Condition {
    this.allow(field, this.token, "in");
    this.advance();
    this.expect("(", '"("');
    const values = [this.value(field)];
    while (this.token.kind === ",") {
      this.advance();
      if (values.length >= SEGMENT_LIMITS.maxInValues) {
        this.stop(this.token, {
          head: `an IN list holds at most ${SEGMENT_LIMITS.maxInValues.toLocaleString("en")} values; this one goes on`,
          tail: "",
          expected: '")"',
          found: describe(this.text, this.token),
        });
      }
      values.push(this.value(field));
    }
    this.expect(")", '"," or ")"');
    return { type: "in", field, values };
  }

  private contains(field: AudienceField): Condition {
    this.allow(field, this.token, "contains");
    this.advance();
    const token = this.token;
    if (token.kind !== "string") {
      return this.fail(
        fieldKind(field) === "tags" ? "a tag in single quotes" : "text in single quotes",
      );
    }
    if (fieldKind(field) === "tags") {
      const problem =
        token.value.trim() === ""
          ? "a tag cannot be empty"
          : token.value.includes(";")
            ? "a tag cannot contain ; (tags are stored separated by ;)"
            : undefined;
      if (problem) {
        this.stop(token, {
          head: problem,
          tail: "",
          expected: "a tag such as 'vip'",
          found: describe(this.text, token),
        });
      }
    }
    this.advance();
    return { type: "contains", field, value: token.value };
  }

  /** Reads one literal and checks that it suits the field. */
  private value(field: AudienceField): Literal {
    const token = this.token;
    let literal: Literal;
    switch (token.kind) {
      case "number":
        literal = { type: "number", value: token.value };
        break;
      case "string":
        literal = { type: "string", value: token.value };
        break;
      case "date":
        literal = { type: "date", value: token.value };
        break;
      case "relativeDate":
        literal = { type: "relativeDate", amount: token.amount, unit: token.unit };
        break;
      default:
        if (this.isWord("today")) {
          literal = { type: "today" };
          break;
        }
        if (this.isWord("null")) {
          return this.stop(token, {
            head: "NULL is not a value",
            tail: ": test for an empty field with IS NULL or IS NOT NULL",
            expected: "a value",
            found: "NULL",
          });
        }
        return this.fail("a value");
    }
    this.checkLiteral(field, literal, token);
    this.advance();
    return literal;
  }

  private checkLiteral(field: AudienceField, literal: Literal, token: SegmentToken): void {
    const kind = fieldKind(field);
    const found = describe(this.text, token);
    const refuse: (expected: string) => never = (expected) =>
      this.stop(token, {
        head: `${field} takes ${expected}`,
        tail: `, found ${found}`,
        expected,
        found,
      });
    switch (kind) {
      case "money":
        if (literal.type !== "number") refuse("an amount such as 100.00");
        if (this.currency !== undefined) {
          const money = parseMoney(literal.value, this.currency);
          if (!money.ok) {
            const expected = "an amount in the store currency";
            this.stop(token, { head: `${field}: ${money.message}`, tail: "", expected, found });
          }
        }
        return;
      case "number":
        if (literal.type !== "number") refuse("a number such as 0.5");
        return;
      case "integer":
        if (literal.type !== "number" || literal.value.includes(".")) {
          refuse("a whole number such as 3");
        }
        return;
      case "date":
        if (
          literal.type !== "date" &&
          literal.type !== "today" &&
          literal.type !== "relativeDate"
        ) {
          refuse("a date: YYYY-MM-DD, today, or relative such as -90d");
        }
        return;
      case "text":
        if (literal.type !== "string") refuse("text in single quotes such as 'web'");
        return;
      case "key": {
        const allowed = fixedValues(field);
        if (literal.type !== "string") {
          refuse(allowed ? `one of ${quoteAll(allowed)}` : "a key in single quotes such as 'high'");
        }
        if (allowed && !allowed.includes(literal.value)) {
          const guess = closestWord(literal.value, allowed);
          this.stop(token, {
            head: `${found} is not a value of ${field}`,
            tail: `; ${field} is one of ${quoteAll(allowed)}${guess ? ` (did you mean '${guess}'?)` : ""}`,
            expected: `one of ${quoteAll(allowed)}`,
            found,
          });
        }
        return;
      }
      case "tags":
        // Tags take no value: only CONTAINS, checked before any value is read.
        refuse("CONTAINS 'tag'");
    }
  }

  /** Stops unless the field's kind allows the operation the token starts. */
  private allow(field: AudienceField, token: SegmentToken, operation: SegmentOperation): void {
    if (acceptsOperation(field, operation)) return;
    const found = describe(this.text, token);
    this.stop(token, {
      head: `${describeOperations(field)}, not ${found}`,
      tail: "",
      expected: operationsInWords(field),
      found,
    });
  }

  private isWord(word: string): boolean {
    return this.token.kind === "word" && this.token.text.toLowerCase() === word;
  }

  private expect(kind: "(" | ")", shown: string): void {
    if (this.token.kind !== kind) this.fail(shown);
    this.advance();
  }

  private expectWord(word: string, shown: string): void {
    if (!this.isWord(word)) this.fail(shown);
    this.advance();
  }

  private advance(): void {
    this.previous = this.token;
    this.token = this.read(this.token.offset + this.token.length);
  }

  private read(offset: number): SegmentToken {
    const read = readSegmentToken(this.text, offset);
    if (!read.ok) throw new Stop(read.error);
    return read.token;
  }

  /** Stops with "expected X after Y at …, found Z" at the current token (or the one given). */
  private fail(expected: string, token: SegmentToken = this.token): never {
    const previous = token === this.token ? this.previous : undefined;
    const after = previous ? ` after ${describe(this.text, previous)}` : "";
    const found = describe(this.text, token);
    return this.stop(token, {
      head: `expected ${expected}${after}`,
      tail: `, found ${found}`,
      expected,
      found,
    });
  }

  private stop(
    token: SegmentToken,
    parts: { head: string; tail: string; expected: string; found: string },
  ): never {
    throw new Stop(segmentError(this.text, token.offset, token.length, parts));
  }
}

/** One AND (or OR) of the parts, with nested ones of the same kind spliced in. */
function join(type: "and" | "or", parts: Condition[]): Condition {
  if (parts.length === 1) return parts[0]!;
  const conditions: Condition[] = [];
  for (const part of parts) {
    if (part.type === type) conditions.push(...part.conditions);
    else conditions.push(part);
  }
  return { type, conditions };
}

/** A token as people see it in the text, shortened when long. */
function describe(text: string, token: SegmentToken): string {
  if (token.kind === "end") return "end of input";
  const raw = text.slice(token.offset, token.offset + token.length);
  const shown = [...raw].length > 30 ? `${[...raw].slice(0, 29).join("")}…` : raw;
  return token.kind === "string" ? shown : `"${shown}"`;
}

function quoteAll(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(", ");
}
