import { describe, expect, it } from "vitest";
import { fractionToDecimal, isDecimalText, parseDecimal, roundQuotient } from "./loyalty-decimal";

describe("parseDecimal", () => {
  it("reads decimals exactly over a power of ten", () => {
    expect(parseDecimal("1.5", "rate")).toEqual({ numerator: 15n, denominator: 10n });
    expect(parseDecimal("2", "rate")).toEqual({ numerator: 2n, denominator: 1n });
    expect(parseDecimal("0.000000000001", "rate")).toEqual({
      numerator: 1n,
      denominator: 10n ** 12n,
    });
  });

  it("refuses signs, exponents, commas and too many decimals, naming the field", () => {
    for (const bad of ["-1", "1e3", "1,5", ".5", "1.", "", " 1", "0.0000000000001"]) {
      expect(isDecimalText(bad)).toBe(false);
      expect(() => parseDecimal(bad, "tierMultipliers.gold")).toThrow(
        expect.objectContaining({ code: "INVALID_DECIMAL", field: "tierMultipliers.gold" }),
      );
    }
  });
});

describe("roundQuotient", () => {
  it("floors or rounds halves up", () => {
    expect(roundQuotient(7n, 2n, "floor")).toBe(3n);
    expect(roundQuotient(7n, 2n, "half_up")).toBe(4n);
    expect(roundQuotient(5n, 4n, "half_up")).toBe(1n);
    expect(roundQuotient(6n, 4n, "half_up")).toBe(2n);
    expect(roundQuotient(0n, 3n, "half_up")).toBe(0n);
  });
});

describe("fractionToDecimal", () => {
  it("writes a fixed number of places, rounded half up", () => {
    expect(fractionToDecimal({ numerator: 1n, denominator: 3n }, 4)).toBe("0.3333");
    expect(fractionToDecimal({ numerator: 2n, denominator: 3n }, 4)).toBe("0.6667");
    expect(fractionToDecimal({ numerator: 5n, denominator: 1n }, 0)).toBe("5");
    expect(fractionToDecimal({ numerator: 1851n, denominator: 100n }, 6)).toBe("18.510000");
  });
});
