import { describe, expect, it } from "vitest";
import { parseMoney } from "./parse-money";

const minor = (text: string, currency = "USD") => {
  const result = parseMoney(text, currency);
  if (!result.ok) throw new Error(`expected ${text} to parse, got ${result.code}`);
  return result.minor;
};
const code = (text: string, currency = "USD") => {
  const result = parseMoney(text, currency);
  return result.ok ? "ok" : result.code;
};

describe("parseMoney", () => {
  it("turns decimal currency units into integer minor units", () => {
    expect(minor("12.34")).toBe(1234);
    expect(minor("12.3")).toBe(1230);
    expect(minor("12")).toBe(1200);
    expect(minor("0.07")).toBe(7);
    expect(minor(" 5.10 ")).toBe(510);
  });

  it("is exact where binary floats are not", () => {
    // 0.1 + 0.2 and 1.005 * 100 are the classic float traps.
    expect(minor("0.29")).toBe(29);
    expect(minor("1.01")).toBe(101);
    expect(minor("4.35")).toBe(435);
    expect(minor("90071992547409.91")).toBe(9007199254740991);
  });

  it("uses the currency's exponent", () => {
    expect(minor("1200", "JPY")).toBe(1200);
    expect(minor("1.234", "BHD")).toBe(1234);
    expect(code("12.5", "JPY")).toBe("TOO_MANY_DECIMALS");
  });

  it("refuses more decimals than the currency has, even zeros", () => {
    expect(code("1.005")).toBe("TOO_MANY_DECIMALS");
    expect(code("1.000")).toBe("TOO_MANY_DECIMALS");
  });

  it("keeps the sign", () => {
    expect(minor("-3.50")).toBe(-350);
    expect(minor("+3.50")).toBe(350);
    expect(Object.is(minor("-0.00"), 0)).toBe(true);
  });

  it.each([
    "",
    " ",
    "abc",
    "NaN",
    "Infinity",
    "1e3",
    "1E-2",
    "1,000.00",
    "$5",
    "12.",
    ".5",
    "0x10",
    "--1",
    "1 000",
  ])("refuses %j as not a number", (text) => {
    expect(code(text)).toBe("NOT_A_NUMBER");
  });

  it("refuses amounts beyond the safe integer range", () => {
    expect(code("90071992547409.92")).toBe("OUT_OF_RANGE");
    expect(code("1" + "0".repeat(30))).toBe("OUT_OF_RANGE");
  });

  it("refuses unknown currencies", () => {
    expect(code("1.00", "ABC")).toBe("UNKNOWN_CURRENCY");
    expect(code("1.00", "usd")).toBe("UNKNOWN_CURRENCY");
  });
});
