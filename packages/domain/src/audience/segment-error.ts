/**
 * Where and why a segment could not be read. Every refusal of the segment language is one of
 * these: the admin underlines `length` characters from `offset`, and people read `message`.
 */
export interface SegmentError {
  /** Index into the text (UTF-16 code units, as JavaScript strings count), 0 to text.length. */
  offset: number;
  /** 1-based line; lines end at "\n". */
  line: number;
  /** 1-based column in characters (code points) from the start of the line. */
  column: number;
  /** How many code units from `offset` are at fault (0 at the end of the input). */
  length: number;
  /** What was expected there, e.g. `a value`, `")"`, `a field name`. */
  expected: string;
  /** What was there instead, e.g. `end of input`, `"AND"`, `'hgih'`. */
  found: string;
  /** The whole sentence, with the position: `expected a value after "<" at line 1, column 12, found end of input`. */
  message: string;
}

/** A line and column for an offset (see {@link SegmentError} for how they count). */
export interface SegmentPosition {
  line: number;
  column: number;
}

/**
 * The line and column of an offset in a text.
 *
 * @param text the segment text.
 * @param offset an index from 0 to `text.length` (clamped into that range).
 * @returns 1-based line and column; the column counts code points, so an emoji is one column.
 * @example
 * segmentPosition("tier = 'a'\nAND x", 15); // { line: 2, column: 5 }
 */
export function segmentPosition(text: string, offset: number): SegmentPosition {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let column = 1;
  for (let i = lineStart; i < end; i++) {
    const c = text.charCodeAt(i);
    // The second half of a surrogate pair belongs to the character already counted.
    const low = c >= 0xdc00 && c <= 0xdfff;
    const afterHigh = i > lineStart && isHighSurrogate(text.charCodeAt(i - 1));
    if (!(low && afterHigh)) column++;
  }
  return { line, column };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** The parts of an error's sentence around its position. */
export interface SegmentErrorText {
  /** The words before the position, e.g. `expected a value after "<"`. */
  head: string;
  /** The words after it, e.g. `, found end of input` (may be empty). */
  tail: string;
  expected: string;
  found: string;
}

/**
 * Builds a {@link SegmentError}: the sentence is `head`, then "at line L, column C", then
 * `tail`. The parts are joined, never searched, so user text in them cannot move the position.
 *
 * @param text the whole segment text (for line and column).
 * @param offset where the fault starts.
 * @param length how many code units are at fault.
 * @param parts the sentence around the position, and what was expected and found.
 * @returns the error with its message and position.
 * @example
 * segmentError("x <", 3, 0, { head: 'expected a value after "<"', tail: ", found end of input", expected: "a value", found: "end of input" }).message;
 * // 'expected a value after "<" at line 1, column 4, found end of input'
 */
export function segmentError(
  text: string,
  offset: number,
  length: number,
  parts: SegmentErrorText,
): SegmentError {
  const { line, column } = segmentPosition(text, offset);
  const message = `${parts.head} at line ${line}, column ${column}${parts.tail}`;
  return { offset, line, column, length, expected: parts.expected, found: parts.found, message };
}
