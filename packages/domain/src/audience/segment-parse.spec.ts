import { describe, expect, it } from "vitest";
import type { Condition } from "./audience-spec";
import { parseSegment, SEGMENT_LIMITS } from "./segment-parse";

function condition(text: string): Condition | null {
  const result = parseSegment(text);
  if (!result.ok)
    throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error.message}`);
  return result.audience.condition;
}

function error(text: string, options?: { currency?: string }) {
  const result = parseSegment(text, options);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return result.error;
}

const num = (value: string) => ({ type: "number", value }) as const;
const str = (value: string) => ({ type: "string", value }) as const;

describe("parseSegment: the grammar", () => {
  it("reads the issue's example", () => {
    expect(
      condition("tier IN ('high', 'mid_high') AND p_alive < 0.3 AND last_order_date < -90d"),
    ).toEqual({
      type: "and",
      conditions: [
        { type: "in", field: "tier", values: [str("high"), str("mid_high")] },
        { type: "compare", field: "p_alive", op: "<", value: num("0.3") },
        {
          type: "compare",
          field: "last_order_date",
          op: "<",
          value: { type: "relativeDate", amount: -90, unit: "d" },
        },
      ],
    });
  });

  it("reads every comparison operator", () => {
    for (const op of ["=", "!=", "<", "<=", ">", ">="] as const) {
      expect(condition(`nps ${op} 7`)).toEqual({
        type: "compare",
        field: "nps",
        op,
        value: num("7"),
      });
    }
    // Operators need no spaces around them.
    expect(condition("nps>=-7")).toEqual({
      type: "compare",
      field: "nps",
      op: ">=",
      value: num("-7"),
    });
  });

  it("reads every kind of value", () => {
    const value = (text: string) => (condition(`created_at = ${text}`) as { value: unknown }).value;
    expect(value("2024-02-29")).toEqual({ type: "date", value: "2024-02-29" });
    expect(value("today")).toEqual({ type: "today" });
    expect(value("TODAY")).toEqual({ type: "today" });
    expect(value("-90d")).toEqual({ type: "relativeDate", amount: -90, unit: "d" });
    expect(value("-12w")).toEqual({ type: "relativeDate", amount: -12, unit: "w" });
    expect(value("-6m")).toEqual({ type: "relativeDate", amount: -6, unit: "m" });
    expect(value("-1Y")).toEqual({ type: "relativeDate", amount: -1, unit: "y" });
    expect(value("+30d")).toEqual({ type: "relativeDate", amount: 30, unit: "d" });
    expect(value("-0d")).toEqual({ type: "relativeDate", amount: 0, unit: "d" });
    expect(Object.is((value("-0d") as { amount: number }).amount, 0)).toBe(true);
    expect(condition("clv >= 1200.50")).toMatchObject({ value: num("1200.50") });
    expect(condition("clv >= +5")).toMatchObject({ value: num("5") });
    expect(condition("name = 'O''Brien'")).toMatchObject({ value: str("O'Brien") });
    expect(condition("name = ''")).toMatchObject({ value: str("") });
    expect(condition("name = '日本 😀\n\\'")).toMatchObject({ value: str("日本 😀\n\\") });
  });

  it("reads IN, NOT IN, BETWEEN, CONTAINS, NOT CONTAINS, IS NULL and IS NOT NULL", () => {
    expect(condition("churn_risk IN ('low')")).toEqual({
      type: "in",
      field: "churn_risk",
      values: [str("low")],
    });
    expect(condition("churn_risk not in ('low','medium')")).toEqual({
      type: "not",
      condition: { type: "in", field: "churn_risk", values: [str("low"), str("medium")] },
    });
    expect(condition("order_count BETWEEN 2 AND 5")).toEqual({
      type: "between",
      field: "order_count",
      low: num("2"),
      high: num("5"),
    });
    expect(condition("tags CONTAINS 'vip'")).toEqual({
      type: "contains",
      field: "tags",
      value: "vip",
    });
    expect(condition("email NOT CONTAINS '@example.com'")).toEqual({
      type: "not",
      condition: { type: "contains", field: "email", value: "@example.com" },
    });
    expect(condition("nps IS NULL")).toEqual({ type: "isNull", field: "nps" });
    expect(condition("nps is not null")).toEqual({
      type: "not",
      condition: { type: "isNull", field: "nps" },
    });
  });

  it("binds NOT tighter than AND, and AND tighter than OR", () => {
    const a = { type: "compare", field: "nps", op: "=", value: num("1") };
    const b = { type: "compare", field: "nps", op: "=", value: num("2") };
    const c = { type: "compare", field: "nps", op: "=", value: num("3") };
    expect(condition("nps = 1 OR nps = 2 AND nps = 3")).toEqual({
      type: "or",
      conditions: [a, { type: "and", conditions: [b, c] }],
    });
    expect(condition("(nps = 1 OR nps = 2) AND nps = 3")).toEqual({
      type: "and",
      conditions: [{ type: "or", conditions: [a, b] }, c],
    });
    expect(condition("NOT nps = 1 AND nps = 2")).toEqual({
      type: "and",
      conditions: [{ type: "not", condition: a }, b],
    });
    expect(condition("NOT (nps = 1 AND nps = 2)")).toEqual({
      type: "not",
      condition: { type: "and", conditions: [a, b] },
    });
    expect(condition("NOT NOT nps = 1")).toEqual({
      type: "not",
      condition: { type: "not", condition: a },
    });
  });

  it("splices nested ANDs (and ORs) into one, as the printer writes them", () => {
    const expected = condition("nps = 1 AND nps = 2 AND nps = 3");
    expect(condition("(nps = 1 AND nps = 2) AND nps = 3")).toEqual(expected);
    expect(condition("nps = 1 AND (nps = 2 AND (nps = 3))")).toEqual(expected);
    expect(condition("((nps = 1))")).toEqual(condition("nps = 1"));
    expect(condition("nps = 1 OR (nps = 2 OR nps = 3)")).toEqual(
      condition("nps = 1 OR nps = 2 OR nps = 3"),
    );
  });

  it("ignores the case of keywords and field names, and any whitespace between tokens", () => {
    expect(condition("TIER = 'high' and Nps > 8")).toEqual(
      condition("tier\t=\r\n'high'\n  AND\nnps>8"),
    );
  });

  it("accepts every field with a value of its kind", () => {
    const examples: Record<string, string> = {
      tier: "tier = 'high'",
      clv: "clv > 100.00",
      historical_value: "historical_value <= 50",
      p_alive: "p_alive < 0.3",
      expected_purchases: "expected_purchases >= 1.5",
      churn_risk: "churn_risk = 'high'",
      lifecycle_stage: "lifecycle_stage IN ('new', 'growing')",
      rfm_group: "rfm_group != 'CHAMPIONS'",
      rfm_r: "rfm_r = 5",
      rfm_f: "rfm_f BETWEEN 3 AND 5",
      rfm_m: "rfm_m > 2",
      total_spent: "total_spent BETWEEN 100 AND 500.5",
      order_count: "order_count >= 2",
      first_order_date: "first_order_date >= 2024-01-01",
      last_order_date: "last_order_date < -90d",
      created_at: "created_at BETWEEN -1y AND today",
      acquisition_channel: "acquisition_channel IN ('web', 'store')",
      acquisition_cost: "acquisition_cost IS NULL",
      tags: "tags CONTAINS 'vip'",
      nps: "nps >= 9",
      email: "email CONTAINS '@example.com'",
      name: "name = 'Ada'",
      external_id: "external_id = 'C0001'",
    };
    for (const [field, text] of Object.entries(examples)) {
      expect(condition(text)).toMatchObject({ field });
    }
  });

  it("accepts amounts with the store currency's decimals when told the currency", () => {
    expect(parseSegment("clv > 12.34", { currency: "USD" }).ok).toBe(true);
    expect(parseSegment("clv > 1200", { currency: "JPY" }).ok).toBe(true);
    expect(error("clv > 1.5", { currency: "JPY" }).message).toBe(
      'clv: "1.5" has decimals, but JPY has no minor unit at line 1, column 7',
    );
    // Without a currency, amounts are not checked for decimals.
    expect(parseSegment("clv > 12.345").ok).toBe(true);
    expect(() => parseSegment("clv > 1", { currency: "XXQ" })).toThrow(RangeError);
  });
});

describe("parseSegment: errors say where and what", () => {
  // [text, offset, line, column, expected, message]
  const table: [string, number, number, number, string, string][] = [
    [
      "clv >",
      5,
      1,
      6,
      "a value",
      'expected a value after ">" at line 1, column 6, found end of input',
    ],
    [
      "",
      0,
      1,
      1,
      'a condition (a field name, NOT or "(")',
      'expected a condition (a field name, NOT or "(") at line 1, column 1, found end of input',
    ],
    [
      "tags < 3",
      5,
      1,
      6,
      "[NOT] CONTAINS or IS [NOT] NULL",
      'tags holds a set of tags and takes [NOT] CONTAINS or IS [NOT] NULL, not "<" at line 1, column 6',
    ],
    [
      "last_order_date > 90",
      18,
      1,
      19,
      "a date: YYYY-MM-DD, today, or relative such as -90d",
      'last_order_date takes a date: YYYY-MM-DD, today, or relative such as -90d at line 1, column 19, found "90"',
    ],
    [
      "tier IN (1)",
      9,
      1,
      10,
      "a key in single quotes such as 'high'",
      "tier takes a key in single quotes such as 'high' at line 1, column 10, found \"1\"",
    ],
    [
      "nps CONTAINS '9'",
      4,
      1,
      5,
      "=, !=, <, <=, >, >=, [NOT] IN, BETWEEN or IS [NOT] NULL",
      'nps holds a whole number and takes =, !=, <, <=, >, >=, [NOT] IN, BETWEEN or IS [NOT] NULL, not "CONTAINS" at line 1, column 5',
    ],
    [
      "name BETWEEN 'a' AND 'b'",
      5,
      1,
      6,
      "=, !=, [NOT] IN, [NOT] CONTAINS or IS [NOT] NULL",
      'name holds text and takes =, !=, [NOT] IN, [NOT] CONTAINS or IS [NOT] NULL, not "BETWEEN" at line 1, column 6',
    ],
    [
      "churn_risk = 'hgih'",
      13,
      1,
      14,
      "one of 'low', 'medium', 'high'",
      "'hgih' is not a value of churn_risk at line 1, column 14; churn_risk is one of 'low', 'medium', 'high' (did you mean 'high'?)",
    ],
    [
      "tiers = 'high'",
      0,
      1,
      1,
      "a field name",
      'unknown field "tiers" at line 1, column 1 (did you mean tier?)',
    ],
    [
      "points_balance > 1.5",
      17,
      1,
      18,
      "a whole number such as 3",
      'points_balance takes a whole number such as 3 at line 1, column 18, found "1.5"',
    ],
    [
      "campaign = 'spring'",
      9,
      1,
      10,
      "[NOT] CONTAINS or IS [NOT] NULL",
      'campaign holds a set of campaign keys and takes [NOT] CONTAINS or IS [NOT] NULL, not "=" at line 1, column 10',
    ],
    [
      "order_count > 2.5",
      14,
      1,
      15,
      "a whole number such as 3",
      'order_count takes a whole number such as 3 at line 1, column 15, found "2.5"',
    ],
    [
      "p_alive < 'x'",
      10,
      1,
      11,
      "a number such as 0.5",
      "p_alive takes a number such as 0.5 at line 1, column 11, found 'x'",
    ],
    [
      "clv < today",
      6,
      1,
      7,
      "an amount such as 100.00",
      'clv takes an amount such as 100.00 at line 1, column 7, found "today"',
    ],
    [
      "name = 3",
      7,
      1,
      8,
      "text in single quotes such as 'web'",
      "name takes text in single quotes such as 'web' at line 1, column 8, found \"3\"",
    ],
    [
      "tier = 'a' AND\n  nps >",
      22,
      2,
      8,
      "a value",
      'expected a value after ">" at line 2, column 8, found end of input',
    ],
    [
      "tier = 'a' tier = 'b'",
      11,
      1,
      12,
      "AND, OR or end of input",
      "expected AND, OR or end of input after 'a' at line 1, column 12, found \"tier\"",
    ],
    ["(nps = 1", 8, 1, 9, '")"', 'expected ")" after "1" at line 1, column 9, found end of input'],
    [
      "nps = 1)",
      7,
      1,
      8,
      "AND, OR or end of input",
      'expected AND, OR or end of input after "1" at line 1, column 8, found ")"',
    ],
    [
      "nps IN (1, 2",
      12,
      1,
      13,
      '"," or ")"',
      'expected "," or ")" after "2" at line 1, column 13, found end of input',
    ],
    ["nps IN ()", 8, 1, 9, "a value", 'expected a value after "(" at line 1, column 9, found ")"'],
    [
      "nps BETWEEN 1 OR 2",
      14,
      1,
      15,
      "AND",
      'expected AND after "1" at line 1, column 15, found "OR"',
    ],
    ["nps IS 3", 7, 1, 8, "NULL", 'expected NULL after "IS" at line 1, column 8, found "3"'],
    [
      "nps NOT = 3",
      8,
      1,
      9,
      "IN or CONTAINS",
      'expected IN or CONTAINS after "NOT" at line 1, column 9, found "="',
    ],
    [
      "nps 3",
      4,
      1,
      5,
      "an operator (=, !=, <, <=, >, >=, [NOT] IN, BETWEEN or IS [NOT] NULL)",
      'expected an operator (=, !=, <, <=, >, >=, [NOT] IN, BETWEEN or IS [NOT] NULL) after "nps" at line 1, column 5, found "3"',
    ],
    [
      "nps = 1 AND AND",
      12,
      1,
      13,
      'a condition (a field name, NOT or "(")',
      'expected a condition (a field name, NOT or "(") after "AND" at line 1, column 13, found "AND"',
    ],
    [
      "tier = NULL",
      7,
      1,
      8,
      "a value",
      "NULL is not a value at line 1, column 8: test for an empty field with IS NULL or IS NOT NULL",
    ],
    [
      "tags CONTAINS ''",
      14,
      1,
      15,
      "a tag such as 'vip'",
      "a tag cannot be empty at line 1, column 15",
    ],
    [
      "tags CONTAINS 'a;b'",
      14,
      1,
      15,
      "a tag such as 'vip'",
      "a tag cannot contain ; (tags are stored separated by ;) at line 1, column 15",
    ],
    [
      "tags CONTAINS 3",
      14,
      1,
      15,
      "a tag in single quotes",
      'expected a tag in single quotes after "CONTAINS" at line 1, column 15, found "3"',
    ],
    [
      "name = 'abc",
      7,
      1,
      8,
      "a closing quote",
      "the string starting at line 1, column 8 has no closing quote (a quote inside a string is written twice: 'it''s')",
    ],
    [
      'name = "abc"',
      7,
      1,
      8,
      "a string in single quotes",
      "strings are written in single quotes, e.g. 'high' (a double quote is not part of the language) at line 1, column 8",
    ],
    ["nps <> 3", 4, 1, 5, "expected !=", "write != for not equal (not <>) at line 1, column 5"],
    ["nps == 3", 4, 1, 5, "expected =", "compare with a single = (not ==) at line 1, column 5"],
    [
      "nps = 1e5",
      6,
      1,
      7,
      "a number such as 12 or 12.5",
      'expected a number such as 12 or 12.5 at line 1, column 7, found "1e5" (digits and one optional decimal point, no exponent)',
    ],
    [
      "created_at > 2024-02-30",
      13,
      1,
      14,
      "a calendar day",
      '"2024-02-30" is not a calendar day at line 1, column 14',
    ],
    [
      "created_at > 2024-2-3",
      13,
      1,
      14,
      "a date YYYY-MM-DD",
      'expected a date written YYYY-MM-DD at line 1, column 14, found "2024-2-3" (e.g. 2024-01-31)',
    ],
    [
      "created_at > 90d",
      13,
      1,
      14,
      "a signed relative date",
      "a relative date needs a sign at line 1, column 14: -90d for the past, +90d for the future",
    ],
    [
      "created_at > -99999d",
      13,
      1,
      14,
      "at most 36500d",
      'relative dates reach at most 36500d, 5200w, 1200m or 100y at line 1, column 14, found "-99999d"',
    ],
    [
      "nps = 1 ; DROP TABLE customers",
      8,
      1,
      9,
      "a field, value, operator or parenthesis",
      'unexpected character ";" (U+003B) at line 1, column 9',
    ],
    [
      "name = 'x' -- comment",
      11,
      1,
      12,
      "a field, value, operator or parenthesis",
      'unexpected character "-" (U+002D) at line 1, column 12',
    ],
    [
      "nps = 1\u0000",
      7,
      1,
      8,
      "a field, value, operator or parenthesis",
      "unexpected character a NUL character (U+0000) at line 1, column 8",
    ],
    [
      "name = 'a\u0000b'",
      9,
      1,
      10,
      "text",
      "a string cannot hold a NUL character (U+0000) at line 1, column 10",
    ],
    [
      "name = 'a\ud800b'",
      9,
      1,
      10,
      "text",
      "a string cannot hold half of a surrogate pair (invalid Unicode) at line 1, column 10",
    ],
    [
      "name = '😀' AND nps = x",
      22,
      1,
      22,
      "a value",
      'expected a value after "=" at line 1, column 22, found "x"',
    ],
    [
      "clv > 12.345",
      6,
      1,
      7,
      "an amount in the store currency",
      'clv: "12.345" has more than 2 decimals for USD at line 1, column 7',
    ],
  ];

  it.each(table)(
    "%j → offset %i, line %i, column %i",
    (text, offset, line, column, expected, message) => {
      const e = error(text, { currency: "USD" });
      expect(e).toMatchObject({ offset, line, column, expected, message });
    },
  );

  it("lists the fields when no field name is close", () => {
    expect(error("zzz = 1").message).toMatch(
      /^unknown field "zzz" at line 1, column 1; the fields are tier, clv, /,
    );
    // Names of JavaScript's object machinery are not fields.
    expect(error("constructor = 1").message).toMatch(/^unknown field "constructor"/);
    expect(error("__proto__ IS NULL").message).toMatch(/^unknown field "__proto__"/);
  });

  it("marks the length of the offending token", () => {
    expect(error("tiers = 'high'").length).toBe(5);
    expect(error("clv >").length).toBe(0);
    expect(error("name = 'abc").length).toBe(4);
  });
});

describe("parseSegment: limits", () => {
  it("refuses more than 50 levels of parentheses at the 51st", () => {
    const e = error(`${"(".repeat(4_000)}nps = 1${")".repeat(4_000)}`);
    expect(e.offset).toBe(SEGMENT_LIMITS.maxDepth);
    expect(e.message).toMatch(/^conditions nest at most 50 deep/);
    const ok = `${"(".repeat(50)}nps = 1${")".repeat(50)}`;
    expect(parseSegment(ok).ok).toBe(true);
  });

  it("counts NOT as nesting too", () => {
    expect(parseSegment(`${"NOT ".repeat(50)}nps = 1`).ok).toBe(true);
    const e = error(`${"NOT ".repeat(2_000)}nps = 1`);
    expect(e.offset).toBe(200);
  });

  it("refuses an IN list of more than 1,000 values at the 1,001st", () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => String(i)).join(",");
    expect(parseSegment(`nps IN (${values(1_000)})`).ok).toBe(true);
    const text = `nps IN (${values(1_001)})`;
    const e = error(text);
    expect(e.offset).toBe(text.lastIndexOf(",") + 1);
    expect(e.message).toMatch(/^an IN list holds at most 1,000 values/);
  });

  it("refuses more than 10,000 characters besides whitespace, where they go over", () => {
    const long = `name = '${"x".repeat(9_993)}'`;
    expect(long.replace(/\s/g, "").length).toBe(10_000);
    expect(parseSegment(long).ok).toBe(true);
    const tooLong = `name = '${"x".repeat(9_994)}'`;
    const e = error(tooLong);
    expect(e.offset).toBe(10_002);
    expect(e.message).toMatch(/^a segment holds at most 10,000 characters besides spaces/);
  });

  it("refuses more than 100,000 characters in all", () => {
    const e = error(`nps = 1${" ".repeat(100_000)}`);
    expect(e.offset).toBe(100_000);
  });

  it("does not look at the text beyond the first error", () => {
    // The unterminated string later on does not hide the earlier problem.
    expect(error("nps = = 'x").offset).toBe(6);
  });
});
