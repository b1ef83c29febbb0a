import { describe, expect, it } from "vitest";
import { readSegmentToken, tokenizeSegment } from "./segment-tokenize";

function kinds(text: string): unknown[] {
  const result = tokenizeSegment(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.tokens.map((t) => {
    const { offset: _o, length: _l, ...rest } = t;
    return rest;
  });
}

describe("tokenizeSegment", () => {
  it("reads words, operators, values and punctuation with their spans", () => {
    const result = tokenizeSegment("tier IN ('a''b', x) AND nps>=9");
    expect(result.ok && result.tokens.map((t) => [t.kind, t.offset, t.length])).toEqual([
      ["word", 0, 4],
      ["word", 5, 2],
      ["(", 8, 1],
      ["string", 9, 6],
      [",", 15, 1],
      ["word", 17, 1],
      [")", 18, 1],
      ["word", 20, 3],
      ["word", 24, 3],
      ["op", 27, 2],
      ["number", 29, 1],
      ["end", 30, 0],
    ]);
  });

  it("tells numbers, dates and relative dates apart", () => {
    expect(kinds("-12.50 2024-01-31 -6m +30D -90d 0 +7")).toEqual([
      { kind: "number", value: "-12.50" },
      { kind: "date", value: "2024-01-31" },
      { kind: "relativeDate", amount: -6, unit: "m" },
      { kind: "relativeDate", amount: 30, unit: "d" },
      { kind: "relativeDate", amount: -90, unit: "d" },
      { kind: "number", value: "0" },
      { kind: "number", value: "7" },
      { kind: "end" },
    ]);
  });

  it("reads every operator", () => {
    expect(kinds("= != < <= > >=")).toEqual([
      { kind: "op", op: "=" },
      { kind: "op", op: "!=" },
      { kind: "op", op: "<" },
      { kind: "op", op: "<=" },
      { kind: "op", op: ">" },
      { kind: "op", op: ">=" },
      { kind: "end" },
    ]);
  });

  it("keeps everything inside a string, SQL included", () => {
    expect(kinds("'; DROP TABLE customers; --' '\\' '/*' ''''")).toEqual([
      { kind: "string", value: "; DROP TABLE customers; --" },
      { kind: "string", value: "\\" },
      { kind: "string", value: "/*" },
      { kind: "string", value: "'" },
      { kind: "end" },
    ]);
  });

  it("reads words in any script, so unknown fields are named in errors", () => {
    expect(kinds("tíer _x9")).toEqual([
      { kind: "word", text: "tíer" },
      { kind: "word", text: "_x9" },
      { kind: "end" },
    ]);
  });

  it("refuses numbers run into letters, unsigned relative dates and huge numbers", () => {
    for (const [text, found] of [
      ["12abc", '"12abc"'],
      ["1.2.3", '"1.2.3"'],
      ["90d", '"90d"'],
      ["1.", '"1."'],
      ["1234567890123456789", "a number that long"],
      ["0.1234567890123", "a number that long"],
    ] as const) {
      const result = tokenizeSegment(text);
      expect(result.ok ? "accepted" : result.error.found).toBe(found);
    }
  });

  it("reads the token after any whitespace", () => {
    expect(readSegmentToken(" \t\r\n nps", 0)).toMatchObject({ ok: true, token: { offset: 5 } });
    expect(readSegmentToken("nps   ", 3)).toEqual({
      ok: true,
      token: { kind: "end", offset: 6, length: 0 },
    });
  });
});
