import { describe, expect, it } from "vitest";
import { formatMoney } from "./format-money";
import { parseMoney } from "./parse-money";

describe("formatMoney", () => {
  it("writes minor units as a decimal with the currency's decimals", () => {
    expect(formatMoney(1234, "USD")).toBe("12.34");
    expect(formatMoney(5, "USD")).toBe("0.05");
    expect(formatMoney(0, "USD")).toBe("0.00");
    expect(formatMoney(-5, "USD")).toBe("-0.05");
    expect(formatMoney(-1234, "USD")).toBe("-12.34");
    expect(formatMoney(1200, "JPY")).toBe("1200");
    expect(formatMoney(1, "BHD")).toBe("0.001");
    expect(formatMoney(Number.MAX_SAFE_INTEGER, "USD")).toBe("90071992547409.91");
  });

  it("round-trips with parseMoney", () => {
    for (const value of [0, 1, 9, 10, 99, 100, 101, 123456789, -1, -100, -98765]) {
      for (const currency of ["USD", "JPY", "BHD"]) {
        expect(parseMoney(formatMoney(value, currency), currency)).toEqual({
          ok: true,
          minor: value,
        });
      }
    }
  });

  it("refuses values that are not safe integers", () => {
    expect(() => formatMoney(1.5, "USD")).toThrow(RangeError);
    expect(() => formatMoney(Number.NaN, "USD")).toThrow(RangeError);
    expect(() => formatMoney(2 ** 53, "USD")).toThrow(RangeError);
  });

  it("refuses unknown currencies", () => {
    expect(() => formatMoney(1, "ABC")).toThrow(/unknown currency/);
  });
});
