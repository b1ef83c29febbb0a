import { describe, expect, it } from "vitest";
import { compareDecimalText, isDecimalText } from "./segment-decimal";

describe("compareDecimalText", () => {
  it("orders plain decimals exactly", () => {
    expect(compareDecimalText("12.5", "12.50")).toBe(0);
    expect(compareDecimalText("-3", "2")).toBe(-1);
    expect(compareDecimalText("100.01", "99.999")).toBe(1);
    expect(compareDecimalText("007", "7.000")).toBe(0);
    expect(compareDecimalText("-0", "0.00")).toBe(0);
    expect(compareDecimalText("+1", "1")).toBe(0);
    expect(compareDecimalText("-1.5", "-1.25")).toBe(-1);
    expect(compareDecimalText("-1.25", "-1.5")).toBe(1);
    expect(compareDecimalText("0.1", "0.10000000000000001")).toBe(-1);
    expect(compareDecimalText("9007199254740993", "9007199254740992")).toBe(1);
  });

  it("agrees with integer arithmetic on a grid of values", () => {
    const values = [-1001, -100, -10, -1, 0, 1, 9, 10, 99, 100, 101, 1000];
    for (const a of values) {
      for (const b of values) {
        const text = (n: number) => (n / 100).toFixed(2);
        expect(compareDecimalText(text(a), text(b))).toBe(Math.sign(a - b) || 0);
      }
    }
  });

  it("refuses what is not a plain decimal", () => {
    expect(() => compareDecimalText("1e5", "1")).toThrow(RangeError);
    expect(isDecimalText(".5")).toBe(false);
    expect(isDecimalText("1.")).toBe(false);
    expect(isDecimalText("1,5")).toBe(false);
    expect(isDecimalText("-0.5")).toBe(true);
  });
});
