import type { Comparison } from "./audience-spec";
import { segmentError, type SegmentError } from "./segment-error";
import { isCalendarDate, type RelativeDateUnit } from "./segment-relative-date";

/** Where a token is in the text: `length` code units from `offset`. */
interface Span {
  offset: number;
  length: number;
}

/** One token of the segment language. Words are field names and keywords (any case). */
export type SegmentToken = Span &
  (
    | { kind: "word"; text: string }
    | { kind: "number"; value: string }
    | { kind: "date"; value: string }
    | { kind: "relativeDate"; amount: number; unit: RelativeDateUnit }
    | { kind: "string"; value: string }
    | { kind: "op"; op: Comparison }
    | { kind: "(" | ")" | "," | "end" }
  );

export type SegmentTokenResult =
  { ok: true; token: SegmentToken } | { ok: false; error: SegmentError };

/**
 * The furthest a relative date reaches, per unit: about a hundred years either way. Beyond
 * that it is a typo, and the resolved day must stay within 0001–9999.
 */
export const RELATIVE_DATE_LIMITS: Readonly<Record<RelativeDateUnit, number>> = {
  d: 36_500,
  w: 5_200,
  m: 1_200,
  y: 100,
};

/** Digits a number literal may have before and after the decimal point. */
export const NUMBER_DIGIT_LIMITS = { whole: 18, fraction: 12 } as const;

const WORD = /[\p{L}_][\p{L}\p{N}_]*/uy;
/** What a mistyped number or date runs on with, to show the whole of it in the error. */
const RUN = /[\p{L}\p{N}_.+-]*/uy;
const STRICT_DATE = /\d{4}-\d{2}-\d{2}/y;
const DATE_LIKE = /\d+-\d+(?:-\d+)?/y;
const RELATIVE = /([+-])(\d+)([dwmy])/iy;
const UNSIGNED_RELATIVE = /\d+[dwmy](?![\p{L}\p{N}_])/iuy;
const NUMBER = /[+-]?(\d+)(?:\.(\d+))?/y;
const RUNS_ON = /[\p{L}\p{N}_.]/u;

/**
 * Reads the token that starts at or after `offset` (whitespace is skipped: space, tab, carriage
 * return and line feed). The parser pulls tokens one at a time, so the first problem in reading
 * order is the one reported.
 *
 * @param text the segment text.
 * @param offset where to start reading.
 * @returns the token (kind "end" at the end of the text), or a positioned error for a character
 *   or literal that is not part of the language.
 * @example
 * readSegmentToken("tier = 'high'", 4); // { ok: true, token: { kind: "op", op: "=", offset: 5, length: 1 } }
 */
export function readSegmentToken(text: string, offset: number): SegmentTokenResult {
  let i = offset;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const at = i;
  if (at >= text.length) return token({ kind: "end", offset: text.length, length: 0 });
  const c = text[at]!;
  const next = text[at + 1];
  switch (c) {
    case "(":
    case ")":
    case ",":
      return token({ kind: c, offset: at, length: 1 });
    case "=":
      if (next === "=")
        return fail(text, at, 2, "expected =", "==", "compare with a single = (not ==)");
      return token({ kind: "op", op: "=", offset: at, length: 1 });
    case "!":
      if (next === "=") return token({ kind: "op", op: "!=", offset: at, length: 2 });
      return fail(
        text,
        at,
        1,
        "expected !=",
        '"!"',
        "a lone ! is not an operator; write != for not equal",
      );
    case "<":
      if (next === "=") return token({ kind: "op", op: "<=", offset: at, length: 2 });
      if (next === ">")
        return fail(text, at, 2, "expected !=", '"<>"', "write != for not equal (not <>)");
      return token({ kind: "op", op: "<", offset: at, length: 1 });
    case ">":
      if (next === "=") return token({ kind: "op", op: ">=", offset: at, length: 2 });
      return token({ kind: "op", op: ">", offset: at, length: 1 });
    case "'":
      return readString(text, at);
    case '"':
      return fail(
        text,
        at,
        1,
        "a string in single quotes",
        "a double quote",
        "strings are written in single quotes, e.g. 'high' (a double quote is not part of the language)",
      );
  }
  if (isDigit(c) || ((c === "-" || c === "+") && next !== undefined && isDigit(next))) {
    return readNumberLike(text, at);
  }
  WORD.lastIndex = at;
  const word = WORD.exec(text);
  if (word) return token({ kind: "word", text: word[0], offset: at, length: word[0].length });
  const ch = String.fromCodePoint(text.codePointAt(at)!);
  return fail(
    text,
    at,
    ch.length,
    "a field, value, operator or parenthesis",
    describeChar(ch),
    `unexpected character ${describeChar(ch)}`,
  );
}

/**
 * Reads a whole text into tokens, ending with the "end" token; the admin colours segments with
 * it. Stops at the first character or literal that is not part of the language.
 *
 * @param text the segment text.
 * @returns every token, or the first positioned error.
 * @example
 * tokenizeSegment("nps >= 9").ok; // true: word, op, number, end
 */
export function tokenizeSegment(
  text: string,
): { ok: true; tokens: SegmentToken[] } | { ok: false; error: SegmentError } {
  const tokens: SegmentToken[] = [];
  let offset = 0;
  for (;;) {
    const read = readSegmentToken(text, offset);
    if (!read.ok) return read;
    tokens.push(read.token);
    if (read.token.kind === "end") return { ok: true, tokens };
    offset = read.token.offset + read.token.length;
  }
}

function readString(text: string, start: number): SegmentTokenResult {
  let value = "";
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf("'", from);
    if (quote === -1) {
      return {
        ok: false,
        error: segmentError(text, start, text.length - start, {
          head: "the string starting",
          tail: " has no closing quote (a quote inside a string is written twice: 'it''s')",
          expected: "a closing quote",
          found: "end of input",
        }),
      };
    }
    value += text.slice(from, quote);
    if (text[quote + 1] === "'") {
      value += "'";
      from = quote + 2;
      continue;
    }
    const bad = findBadCharacter(text, start + 1, quote);
    if (bad !== -1) {
      const ch = text[bad]!;
      const what =
        ch === "\0" ? "a NUL character (U+0000)" : "half of a surrogate pair (invalid Unicode)";
      return fail(text, bad, 1, "text", what, `a string cannot hold ${what}`);
    }
    return token({ kind: "string", value, offset: start, length: quote + 1 - start });
  }
}

function readNumberLike(text: string, at: number): SegmentTokenResult {
  const runLength = (): number => {
    RUN.lastIndex = at;
    const m = RUN.exec(text);
    return Math.max(1, Math.min(m ? m[0].length : 1, 40));
  };
  const shown = (): string => `"${text.slice(at, at + runLength())}"`;

  const signed = text[at] === "-" || text[at] === "+";
  if (!signed) {
    STRICT_DATE.lastIndex = at;
    DATE_LIKE.lastIndex = at;
    const strict = STRICT_DATE.exec(text);
    if (strict && !runsOn(text, at + 10)) {
      if (!isCalendarDate(strict[0])) {
        return fail(
          text,
          at,
          10,
          "a calendar day",
          `"${strict[0]}"`,
          `"${strict[0]}" is not a calendar day`,
        );
      }
      return token({ kind: "date", value: strict[0], offset: at, length: 10 });
    }
    if (strict || DATE_LIKE.exec(text)) {
      const length = runLength();
      return fail(
        text,
        at,
        length,
        "a date YYYY-MM-DD",
        shown(),
        "expected a date written YYYY-MM-DD",
        `, found ${shown()} (e.g. 2024-01-31)`,
      );
    }
    UNSIGNED_RELATIVE.lastIndex = at;
    const unsignedRelative = UNSIGNED_RELATIVE.exec(text);
    if (unsignedRelative) {
      const d = unsignedRelative[0];
      return fail(
        text,
        at,
        d.length,
        "a signed relative date",
        `"${d}"`,
        "a relative date needs a sign",
        `: -${d} for the past, +${d} for the future`,
      );
    }
  } else {
    RELATIVE.lastIndex = at;
    const relative = RELATIVE.exec(text);
    if (relative && !runsOn(text, at + relative[0].length)) {
      const unit = relative[3]!.toLowerCase() as RelativeDateUnit;
      const digits = relative[2]!;
      const limit = RELATIVE_DATE_LIMITS[unit];
      if (digits.length > 7 || Number(digits) > limit) {
        const l = RELATIVE_DATE_LIMITS;
        return fail(
          text,
          at,
          relative[0].length,
          `at most ${limit}${unit}`,
          `"${relative[0]}"`,
          `relative dates reach at most ${l.d}d, ${l.w}w, ${l.m}m or ${l.y}y`,
          `, found "${relative[0]}"`,
        );
      }
      // 0 rather than -0: "-0d" and "+0d" are the same day and the same AST.
      const amount = (relative[1] === "-" ? -Number(digits) : Number(digits)) || 0;
      return token({ kind: "relativeDate", amount, unit, offset: at, length: relative[0].length });
    }
  }
  NUMBER.lastIndex = at;
  const number = NUMBER.exec(text)!;
  const end = at + number[0].length;
  if (runsOn(text, end)) {
    return fail(
      text,
      at,
      runLength(),
      "a number such as 12 or 12.5",
      shown(),
      "expected a number such as 12 or 12.5",
      `, found ${shown()} (digits and one optional decimal point, no exponent)`,
    );
  }
  const whole = number[1]!;
  const fraction = number[2] ?? "";
  if (whole.length > NUMBER_DIGIT_LIMITS.whole || fraction.length > NUMBER_DIGIT_LIMITS.fraction) {
    return fail(
      text,
      at,
      number[0].length,
      "a shorter number",
      "a number that long",
      `a number has at most ${NUMBER_DIGIT_LIMITS.whole} digits before the decimal point and ${NUMBER_DIGIT_LIMITS.fraction} after`,
    );
  }
  // A leading + says nothing: drop it so that "+5" and "5" are the same literal.
  const value = number[0].startsWith("+") ? number[0].slice(1) : number[0];
  return token({ kind: "number", value, offset: at, length: number[0].length });
}

function runsOn(text: string, index: number): boolean {
  const ch = text[index];
  return ch !== undefined && RUNS_ON.test(ch);
}

/** The first NUL or unpaired surrogate in text[from, to), or -1. */
function findBadCharacter(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return i;
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = i + 1 < to ? text.charCodeAt(i + 1) : 0;
      if (low >= 0xdc00 && low <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

/** A character as people can read it in a message, even when invisible. */
function describeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  if (code === 0) return "a NUL character (U+0000)";
  if (code >= 0xd800 && code <= 0xdfff) return `half of a surrogate pair (${hex}, invalid Unicode)`;
  if (code < 32 || (code >= 0x7f && code <= 0xa0) || /\s|\p{Cf}/u.test(ch)) return `${hex}`;
  return `"${ch}" (${hex})`;
}

function token(t: SegmentToken): SegmentTokenResult {
  return { ok: true, token: t };
}

function fail(
  text: string,
  offset: number,
  length: number,
  expected: string,
  found: string,
  head: string,
  tail = "",
): SegmentTokenResult {
  return { ok: false, error: segmentError(text, offset, length, { head, tail, expected, found }) };
}
