import { describe, expect, it } from "vitest";
import { parseRate, roundHalfEven, roundHalfEvenNumber, toMinorUnits } from "./exact-money";

describe("exact money helpers", () => {
  it("parse decimals exactly, from strings and from numbers' shortest form", () => {
    expect(parseRate("0.05", "d")).toEqual({ n: 5n, d: 100n });
    expect(parseRate(0.1, "d")).toEqual({ n: 1n, d: 10n });
    expect(parseRate("1.5e-3", "d")).toEqual({ n: 15n, d: 10000n });
    expect(parseRate(-2, "d")).toEqual({ n: -2n, d: 1n });
    expect(() => parseRate(Number.NaN, "d")).toThrow(/d must be a finite decimal/);
    expect(() => parseRate("abc", "d")).toThrow(
      expect.objectContaining({ code: "INVALID_NUMBER" }),
    );
  });

  it("convert money to minor units, rejecting floats and excess decimals", () => {
    expect(toMinorUnits(1234, 2, "m")).toBe(1234n);
    expect(toMinorUnits("12.3", 2, "m")).toBe(1230n);
    expect(toMinorUnits("-0.05", 2, "m")).toBe(-5n);
    expect(toMinorUnits("500", 0, "m")).toBe(500n);
    expect(() => toMinorUnits(12.5, 2, "m")).toThrow(/integer number of minor units/);
    expect(() => toMinorUnits("1.234", 2, "m")).toThrow(/more than 2 decimals/);
    expect(() => toMinorUnits("1,00", 2, "m")).toThrow(
      expect.objectContaining({ code: "INVALID_MONEY" }),
    );
  });

  it("round half to even, exactly and on floats", () => {
    expect([5n, 7n, -5n, -7n, 11n].map((n) => roundHalfEven({ n, d: 2n }))).toEqual([
      2n,
      4n,
      -2n,
      -4n,
      6n,
    ]);
    expect(roundHalfEven({ n: 10n, d: 3n })).toBe(3n);
    expect(roundHalfEven({ n: -10n, d: 3n })).toBe(-3n);
    expect([2.5, 3.5, -2.5, 2.4999, 2.5001].map(roundHalfEvenNumber)).toEqual([2, 4, -2, 2, 3]);
  });
});
