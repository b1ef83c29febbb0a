import { describe, expect, it } from "vitest";
import { segmentError, segmentPosition } from "./segment-error";

describe("segmentPosition", () => {
  it("counts lines at line feeds and columns in characters", () => {
    expect(segmentPosition("abc", 0)).toEqual({ line: 1, column: 1 });
    expect(segmentPosition("abc", 3)).toEqual({ line: 1, column: 4 });
    expect(segmentPosition("tier = 'a'\nAND x", 15)).toEqual({ line: 2, column: 5 });
    expect(segmentPosition("a\r\nb", 3)).toEqual({ line: 2, column: 1 });
    expect(segmentPosition("😀😀x", 4)).toEqual({ line: 1, column: 3 });
    expect(segmentPosition("\n\n", 2)).toEqual({ line: 3, column: 1 });
  });

  it("clamps offsets outside the text", () => {
    expect(segmentPosition("ab", 99)).toEqual({ line: 1, column: 3 });
    expect(segmentPosition("ab", -1)).toEqual({ line: 1, column: 1 });
  });
});

describe("segmentError", () => {
  it("puts the position between the head and the tail, whatever text they hold", () => {
    const e = segmentError("x <", 3, 0, {
      head: 'expected a value after "<"',
      tail: ", found '{at} $&'",
      expected: "a value",
      found: "end of input",
    });
    expect(e).toEqual({
      offset: 3,
      line: 1,
      column: 4,
      length: 0,
      expected: "a value",
      found: "end of input",
      message: "expected a value after \"<\" at line 1, column 4, found '{at} $&'",
    });
  });
});
