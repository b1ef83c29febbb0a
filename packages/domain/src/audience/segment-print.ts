import type { Audience, Condition, Literal } from "./audience-spec";

/** Thrown for a condition the segment language has no words for. */
export class SegmentPrintError extends Error {
  override readonly name = "SegmentPrintError";
  readonly code = "SEGMENT_NOT_PRINTABLE";
  constructor(message: string) {
    super(message);
  }
}

/** Binding strength: a child weaker than its parent needs parentheses. */
const STRENGTH = { or: 1, and: 2, not: 3, test: 4 } as const;

/**
 * Writes an audience in the segment language, in canonical form: keywords in upper case,
 * field names and `today` in lower case, one space around operators and after commas, strings
 * in single quotes with a quote doubled, and parentheses only where precedence needs them
 * (NOT binds tighter than AND, AND tighter than OR). A NOT around IN, CONTAINS or IS NULL is
 * written `x NOT IN (…)`, `x NOT CONTAINS …`, `x IS NOT NULL`.
 *
 * For every text `parseSegment` accepts, parsing the printed form gives the same audience, and
 * printing that again gives the same text.
 *
 * @param audience the audience; `EVERYONE` (no condition) prints as the empty text, which is
 *   not itself a segment: show it as "everyone".
 * @returns the segment text.
 * @throws {SegmentPrintError} for conditions built in code that the language cannot write: a
 *   reference to a saved segment, or an AND/OR of no conditions.
 * @example
 * printSegment({ condition: { type: "not", condition: { type: "isNull", field: "email" } } });
 * // "email IS NOT NULL"
 */
export function printSegment(audience: Audience): string {
  return audience.condition === null ? "" : print(audience.condition, 0);
}

function print(condition: Condition, parentStrength: number): string {
  const strength = strengthOf(condition);
  const text = printBare(condition);
  return strength < parentStrength ? `(${text})` : text;
}

/** An AND or OR of one condition is that condition. */
function unwrap(condition: Condition): Condition {
  let c = condition;
  while ((c.type === "and" || c.type === "or") && c.conditions.length === 1) c = c.conditions[0]!;
  return c;
}

function strengthOf(condition: Condition): number {
  const c = unwrap(condition);
  switch (c.type) {
    case "and":
    case "or":
      return STRENGTH[c.type];
    case "not":
      return isWrittenWithNot(unwrap(c.condition)) ? STRENGTH.test : STRENGTH.not;
    default:
      return STRENGTH.test;
  }
}

/** IN, CONTAINS and IS NULL carry their NOT inside the test. */
function isWrittenWithNot(condition: Condition): boolean {
  return condition.type === "in" || condition.type === "contains" || condition.type === "isNull";
}

function printBare(whole: Condition): string {
  const condition = unwrap(whole);
  switch (condition.type) {
    case "and":
    case "or": {
      const { conditions } = condition;
      if (conditions.length === 0) {
        throw new SegmentPrintError(
          `an ${condition.type.toUpperCase()} of no conditions cannot be written in the segment language`,
        );
      }
      const strength = STRENGTH[condition.type];
      // A nested AND inside an AND needs no parentheses: AND is associative, even with NULLs.
      return conditions
        .map((c) => print(c, c.type === condition.type ? strength : strength + 1))
        .join(condition.type === "and" ? " AND " : " OR ");
    }
    case "not": {
      const inner = unwrap(condition.condition);
      switch (inner.type) {
        case "in":
          return `${inner.field} NOT IN (${inner.values.map(printLiteral).join(", ")})`;
        case "contains":
          return `${inner.field} NOT CONTAINS ${quote(inner.value)}`;
        case "isNull":
          return `${inner.field} IS NOT NULL`;
        default:
          return `NOT ${print(inner, STRENGTH.not)}`;
      }
    }
    case "compare":
      return `${condition.field} ${condition.op} ${printLiteral(condition.value)}`;
    case "in":
      return `${condition.field} IN (${condition.values.map(printLiteral).join(", ")})`;
    case "between":
      return `${condition.field} BETWEEN ${printLiteral(condition.low)} AND ${printLiteral(condition.high)}`;
    case "contains":
      return `${condition.field} CONTAINS ${quote(condition.value)}`;
    case "isNull":
      return `${condition.field} IS NULL`;
    case "segment":
      throw new SegmentPrintError(
        `segment ${condition.segmentId} is a reference to a saved segment, which the segment language cannot write`,
      );
  }
}

/**
 * A literal as the segment language writes it.
 *
 * @param literal any literal of an audience.
 * @returns e.g. `'it''s'`, `12.50`, `2024-01-31`, `today`, `-90d`, `+30d`.
 * @example
 * printLiteral({ type: "relativeDate", amount: -6, unit: "m" }); // "-6m"
 */
export function printLiteral(literal: Literal): string {
  switch (literal.type) {
    case "number":
    case "date":
      return literal.value;
    case "string":
      return quote(literal.value);
    case "today":
      return "today";
    case "relativeDate":
      return `${literal.amount < 0 ? "-" : "+"}${Math.abs(literal.amount)}${literal.unit}`;
  }
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
