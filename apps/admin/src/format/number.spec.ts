import { describe, expect, it } from "vitest";
import { formatDecimal, formatPercent, formatProbability, formatSignificant } from "./number";

describe("formatPercent", () => {
  it("formats a share as a percentage in the locale's style", () => {
    expect(formatPercent(0.234, "en")).toBe("23.4%");
    expect(formatPercent(0.5, "zh-TW")).toBe("50%");
    expect(formatPercent(0.12345, "en", 2)).toBe("12.35%");
  });

  it("shows a dash for what is not a number", () => {
    expect(formatPercent(Number.NaN, "en")).toBe("—");
    expect(formatPercent(Number.POSITIVE_INFINITY, "en")).toBe("—");
  });
});

describe("formatProbability", () => {
  it("rounds to whole percentages", () => {
    expect(formatProbability(0.874, "en")).toBe("87%");
    expect(formatProbability(0.5, "en")).toBe("50%");
  });

  it("does not round a near-certainty to 100% or a small chance to 0%", () => {
    expect(formatProbability(0.9973, "en")).toBe(">99%");
    expect(formatProbability(0.004, "en")).toBe("<1%");
  });

  it("keeps exact 0 and 1 as they are", () => {
    expect(formatProbability(1, "en")).toBe("100%");
    expect(formatProbability(0, "en")).toBe("0%");
  });

  it("shows a dash for NaN", () => {
    expect(formatProbability(Number.NaN, "en")).toBe("—");
  });
});

describe("formatDecimal", () => {
  it("groups thousands and bounds the decimals", () => {
    expect(formatDecimal(1234.5678, "en")).toBe("1,234.57");
    expect(formatDecimal(2, "en")).toBe("2");
    expect(formatDecimal(0.123456, "en", 3)).toBe("0.123");
  });
});

describe("formatSignificant", () => {
  it("keeps four significant digits by default, small or large", () => {
    expect(formatSignificant(0.243156, "en")).toBe("0.2432");
    expect(formatSignificant(4414.27, "en")).toBe("4,414");
    expect(formatSignificant(-9582.43, "en", 5)).toBe("-9,582.4");
  });

  it("shows a dash for what is not a number", () => {
    expect(formatSignificant(Number.NaN, "en")).toBe("—");
  });
});
