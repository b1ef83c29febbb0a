import {
  AUDIENCE_FIELDS,
  parseMoney,
  resolveDateLiteral,
  shiftCalendarDate,
  type Audience,
  type AudienceField,
  type Condition,
  type FieldKind,
  type Literal,
} from "@valuetier/domain";
import type { Driver } from "../../db/data-source";
import { DomainError } from "../../errors/domain-error";

/**
 * Where each audience field lives: customers are `c`, the customer's values in the current
 * scoring run `v` (LEFT JOINed, so customers without a value have NULLs there). Loyalty fields
 * are subqueries on the customer's account (NULL without one); `campaign` is compiled apart
 * (EXISTS over campaign_members), as is `points_expiring`, whose window is bound.
 */
const COLUMNS: Record<Exclude<AudienceField, "points_expiring" | "campaign">, string> = {
  tier: "v.tier_key",
  clv: "v.clv_minor",
  historical_value: "v.historical_value_minor",
  p_alive: "v.p_alive",
  expected_purchases: "v.expected_purchases",
  churn_risk: "v.churn_risk",
  lifecycle_stage: "v.lifecycle_stage",
  rfm_group: "v.rfm_group",
  rfm_r: "v.rfm_r",
  rfm_f: "v.rfm_f",
  rfm_m: "v.rfm_m",
  total_spent: "c.total_spent_minor",
  order_count: "c.order_count",
  first_order_date: "c.first_order_at",
  last_order_date: "c.last_order_at",
  created_at: "c.first_seen_at",
  acquisition_channel: "c.acquisition_channel",
  acquisition_cost: "c.acquisition_cost_minor",
  tags: "c.tags",
  nps: "c.nps",
  email: "c.email",
  name: "c.name",
  external_id: "c.external_id",
  points_balance: "(SELECT la.balance FROM loyalty_accounts la WHERE la.customer_id = c.id)",
};

/** Days after today that `points_expiring` looks ahead (its window is today … today + 30). */
export const POINTS_EXPIRING_DAYS = 30;

/** Membership of a campaign, by the campaign's key (control group included). */
const CAMPAIGN_MEMBER =
  "EXISTS (SELECT 1 FROM campaign_members cm JOIN campaigns ca ON ca.id = cm.campaign_id " +
  "WHERE cm.customer_id = c.id AND ca.campaign_key = ?)";
const IN_ANY_CAMPAIGN = "EXISTS (SELECT 1 FROM campaign_members cm WHERE cm.customer_id = c.id)";

/** A WHERE condition over customers `c` (and values `v`), with its bound values in order. */
export interface CompiledAudience {
  /** SQL text with `?` placeholders only: no value is ever written into it. */
  sql: string;
  params: (string | number)[];
  /** True when the condition reads the current run's values (v must be joined). */
  usesValues: boolean;
}

/**
 * The compiled condition with named parameters (`:prefix0`, `:prefix1`, …) for TypeORM's query
 * builder. The SQL text holds no `?` but the compiler's own placeholders (values are never
 * written into it), so each is replaced in order.
 */
export function namedParameters(
  compiled: CompiledAudience,
  prefix: string,
): { sql: string; params: Record<string, string | number> } {
  const params: Record<string, string | number> = {};
  let i = 0;
  const sql = compiled.sql.replace(/\?/g, () => {
    const name = `${prefix}${i}`;
    params[name] = compiled.params[i]!;
    i++;
    return `:${name}`;
  });
  if (i !== compiled.params.length) throw new Error("audience: placeholders and values differ");
  return { sql, params };
}

export interface CompileOptions {
  driver: Driver;
  /** The store currency: money literals are decimal amounts in it. */
  currency: string;
  /** The day relative dates and `today` count from, `YYYY-MM-DD` (UTC). */
  today: string;
  /** Saved segments an audience may refer to, by id (already loaded by the caller). */
  segments?: ReadonlyMap<number, Audience>;
}

const MAX_SEGMENT_DEPTH = 10;

/**
 * Compiles an audience to a WHERE condition. Three-valued logic as in SQL, with one rule of the
 * product on top: NOT keeps the customers for whom the condition is not true, so a customer
 * whose field is empty is in `NOT tier = 'high'` (compiled as `(…) IS NOT TRUE`).
 *
 * @throws {DomainError} INVALID_INPUT when a condition does not fit its field (the segment
 *   language reports these with positions before this point; this is the last line of defence
 *   for specs built in code or stored).
 * @example
 * compileAudience({ condition: { type: "compare", field: "order_count", op: ">=", value: { type: "number", value: "2" } } }, opts)
 * // { sql: "(c.order_count >= ?)", params: [2], usesValues: false }
 */
export function compileAudience(audience: Audience, options: CompileOptions): CompiledAudience {
  const params: (string | number)[] = [];
  let usesValues = false;

  const column = (field: AudienceField): string => {
    if (field === "points_expiring") {
      // Open lots with points left whose expiry falls on a day from today to today + 30;
      // 0 with an account and none, NULL without an account (no row from the outer SELECT).
      const from = `${options.today} 00:00:00.000`;
      const until = `${addDays(options.today, POINTS_EXPIRING_DAYS + 1)} 00:00:00.000`;
      return (
        "(SELECT COALESCE((SELECT SUM(l.remaining) FROM loyalty_lots l WHERE l.account_id = la.customer_id " +
        `AND l.is_open = 1 AND l.remaining > 0 AND l.expires_at >= ${bind(from)} AND l.expires_at < ${bind(until)}), 0) ` +
        "FROM loyalty_accounts la WHERE la.customer_id = c.id)"
      );
    }
    if (field === "campaign") throw invalid("campaign takes CONTAINS or IS NULL");
    const name = (COLUMNS as Record<string, string | undefined>)[field];
    if (name === undefined) throw invalid(`unknown field ${JSON.stringify(field)}`);
    if (name.startsWith("v.")) usesValues = true;
    return name;
  };
  const bind = (value: string | number): string => {
    params.push(value);
    return "?";
  };

  const compile = (condition: Condition, depth: number): string => {
    switch (condition.type) {
      case "and":
      case "or": {
        if (condition.conditions.length === 0) return condition.type === "and" ? "1 = 1" : "1 = 0";
        const joiner = condition.type === "and" ? " AND " : " OR ";
        return `(${condition.conditions.map((c) => compile(c, depth)).join(joiner)})`;
      }
      case "not":
        return `((${compile(condition.condition, depth)}) IS NOT TRUE)`;
      case "compare":
        return compare(condition.field, condition.op, condition.value);
      case "in": {
        if (condition.values.length === 0) return "1 = 0";
        const kind = kindOf(condition.field);
        if (kind === "date") {
          return `(${condition.values.map((v) => compare(condition.field, "=", v)).join(" OR ")})`;
        }
        assertComparable(condition.field, kind, "IN");
        // The operand first: its own bound values (points_expiring's window) come before.
        const left = operand(condition.field, kind);
        const values = condition.values.map((v) => bind(sqlValue(condition.field, kind, v)));
        return `(${left} IN (${values.join(", ")}))`;
      }
      case "between":
        return `(${compare(condition.field, ">=", condition.low)} AND ${compare(condition.field, "<=", condition.high)})`;
      case "contains":
        return contains(condition.field, condition.value);
      case "isNull": {
        const kind = kindOf(condition.field);
        if (condition.field === "campaign") return `(NOT ${IN_ANY_CAMPAIGN})`;
        const col = column(condition.field);
        // Text with nothing in it is empty too (a name or tags are stored as '' when unknown).
        return kind === "tags" || kind === "text"
          ? `(NULLIF(${col}, '') IS NULL)`
          : `(${col} IS NULL)`;
      }
      case "segment": {
        if (depth >= MAX_SEGMENT_DEPTH) {
          throw invalid(`segments refer to each other more than ${MAX_SEGMENT_DEPTH} deep`);
        }
        const segment = options.segments?.get(condition.segmentId);
        if (!segment) throw invalid(`segment ${condition.segmentId} does not exist`);
        return segment.condition === null ? "1 = 1" : compile(segment.condition, depth + 1);
      }
    }
  };

  const compare = (field: AudienceField, op: string, literal: Literal): string => {
    const kind = kindOf(field);
    if (kind === "date") {
      const col = column(field);
      // Dates compare by UTC day against a DATETIME: `= D` is the whole day.
      const day = resolveDay(literal, options.today, field);
      const start = `${day} 00:00:00.000`;
      const next = `${addDays(day, 1)} 00:00:00.000`;
      switch (op) {
        case "=":
          return `(${col} >= ${bind(start)} AND ${col} < ${bind(next)})`;
        case "!=":
          return `(${col} < ${bind(start)} OR ${col} >= ${bind(next)})`;
        case "<":
          return `(${col} < ${bind(start)})`;
        case "<=":
          return `(${col} < ${bind(next)})`;
        case ">":
          return `(${col} >= ${bind(next)})`;
        case ">=":
          return `(${col} >= ${bind(start)})`;
        default:
          throw invalid(`unknown comparison ${JSON.stringify(op)}`);
      }
    }
    assertComparable(field, kind, op);
    if (!["=", "!=", "<", "<=", ">", ">="].includes(op)) {
      throw invalid(`unknown comparison ${JSON.stringify(op)}`);
    }
    const sqlOp = op === "!=" ? "<>" : op;
    return `(${operand(field, kind)} ${sqlOp} ${bind(sqlValue(field, kind, literal))})`;
  };

  const contains = (field: AudienceField, text: string): string => {
    const kind = kindOf(field);
    // Campaign keys are lower-case slugs: normalised as a tag, the needle is a whole key.
    if (field === "campaign") {
      bind(normaliseTag(text));
      return `(${CAMPAIGN_MEMBER})`;
    }
    const col = column(field);
    if (kind === "tags") {
      // Tags are stored normalised (lower case, ';'-separated): a whole-tag match.
      const tag = normaliseTag(text);
      const wrapped =
        options.driver === "sqlite" ? `(';' || ${col} || ';')` : `CONCAT(';', ${col}, ';')`;
      return `(${wrapped} LIKE ${bind(`%;${escapeLike(tag)};%`)} ESCAPE '!')`;
    }
    if (kind !== "text") throw invalid(`CONTAINS works on text and tags, not on ${field}`);
    // CONTAINS is a search: it ignores case for every text field, external ids included.
    const folded = `LOWER(NULLIF(${col}, ''))`;
    const haystack = options.driver === "mysql" ? `(${folded} COLLATE utf8mb4_bin)` : folded;
    return `(${haystack} LIKE ${bind(`%${escapeLike(text.toLowerCase())}%`)} ESCAPE '!')`;
  };

  /**
   * A field as an operand. Text is compared without regard to case, byte for byte after folding
   * (MySQL's own collation would also ignore accents and trailing spaces), and empty text is no
   * text; external ids are exact.
   */
  const operand = (field: AudienceField, kind: FieldKind): string => {
    const col = column(field);
    if (kind !== "text" || field === "external_id") return col;
    const folded = `LOWER(NULLIF(${col}, ''))`;
    return options.driver === "mysql" ? `(${folded} COLLATE utf8mb4_bin)` : folded;
  };

  const sqlValue = (field: AudienceField, kind: FieldKind, literal: Literal): string | number => {
    switch (kind) {
      case "money": {
        if (literal.type !== "number") throw invalid(`${field} takes an amount, e.g. 100.00`);
        const parsed = parseMoney(literal.value, options.currency);
        if (!parsed.ok) throw invalid(`${field}: ${parsed.message}`);
        return parsed.minor;
      }
      case "integer": {
        if (literal.type !== "number" || !/^-?\d+$/.test(literal.value)) {
          throw invalid(`${field} takes a whole number, got ${describe(literal)}`);
        }
        return Number(literal.value);
      }
      case "number": {
        if (literal.type !== "number" || !/^-?\d+(\.\d+)?$/.test(literal.value)) {
          throw invalid(`${field} takes a number, got ${describe(literal)}`);
        }
        return Number(literal.value);
      }
      case "key":
      case "text": {
        if (literal.type !== "string")
          throw invalid(`${field} takes text in quotes, got ${describe(literal)}`);
        const allowed = (AUDIENCE_FIELDS[field] as { values?: readonly string[] }).values;
        if (allowed && !allowed.includes(literal.value)) {
          throw invalid(
            `${field} is one of ${allowed.join(", ")}, not ${JSON.stringify(literal.value)}`,
          );
        }
        return kind === "text" ? foldText(field, literal.value) : literal.value;
      }
      default:
        throw invalid(`${field} cannot be compared; use CONTAINS or IS NULL`);
    }
  };

  const sql = audience.condition === null ? "1 = 1" : compile(audience.condition, 0);
  return { sql, params, usesValues };
}

/** As tags are stored (and as the evaluator compares them): trimmed, spaces collapsed, lower case. */
function normaliseTag(text: string): string {
  return text.trim().replace(/\s+/g, " ").toLowerCase();
}

/** Text as compared: folded to lower case, but for external ids, which are exact. */
function foldText(field: AudienceField, text: string): string {
  return field === "external_id" ? text : text.toLowerCase();
}

function kindOf(field: AudienceField): FieldKind {
  const spec = AUDIENCE_FIELDS[field];
  if (spec === undefined) throw invalid(`unknown field ${JSON.stringify(field)}`);
  return spec.kind;
}

function assertComparable(field: AudienceField, kind: FieldKind, op: string): void {
  if (kind === "tags") throw invalid(`${field} takes CONTAINS or IS NULL, not ${op}`);
}

function invalid(message: string): DomainError {
  return new DomainError("INVALID_INPUT", `audience: ${message}`, { field: "query" });
}

function describe(literal: Literal): string {
  switch (literal.type) {
    case "number":
      return literal.value;
    case "string":
      return `'${literal.value}'`;
    case "date":
      return literal.value;
    case "today":
      return "today";
    case "relativeDate":
      return `${literal.amount >= 0 ? "+" : ""}${literal.amount}${literal.unit}`;
  }
}

/** '!' escapes LIKE's wildcards (ESCAPE '!'): both MySQL and SQLite accept it. */
function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

/**
 * A literal of a date field as a UTC day `YYYY-MM-DD` (relative dates in calendar units, as the
 * segment language and its evaluator count them).
 */
export function resolveDay(literal: Literal, today: string, field = "date"): string {
  if (literal.type !== "date" && literal.type !== "today" && literal.type !== "relativeDate") {
    throw invalid(`${field} takes a date (YYYY-MM-DD, today or -90d), got ${describe(literal)}`);
  }
  try {
    return resolveDateLiteral(literal, today);
  } catch {
    throw invalid(`${field}: ${describe(literal)} is not a date`);
  }
}

function addDays(day: string, days: number): string {
  return shiftCalendarDate(day, days, "d");
}
