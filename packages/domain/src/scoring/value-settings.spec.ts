import { describe, expect, it } from "vitest";
import {
  defaultValueSettings,
  validateValueSettings,
  VALUE_SETTINGS_BOUNDS,
  type ValueSettings,
} from "./value-settings";

const valid = defaultValueSettings("0.3");

/** [field, code, min, max] of each issue, for compact comparisons. */
function issuesOf(settings: ValueSettings): [string, string, string?, string?][] {
  return validateValueSettings(settings).map((i) => {
    const row: [string, string, string?, string?] = [i.field, i.code];
    if (i.min !== undefined) row.push(i.min);
    if (i.max !== undefined) row.push(i.max);
    return row;
  });
}

describe("validateValueSettings", () => {
  it("accepts the defaults and every documented choice", () => {
    expect(validateValueSettings(valid)).toEqual([]);
    for (const model of ["bgnbd", "historical", "simple", "dcf", "retention"] as const) {
      expect(validateValueSettings({ ...valid, model })).toEqual([]);
    }
    expect(
      validateValueSettings({ ...valid, cacSource: "fixed", fixedCacMinor: 2500, timeUnit: "day" }),
    ).toEqual([]);
    expect(
      validateValueSettings({ ...valid, monthlyDiscountRate: "0", defaultMarginRate: "1" }),
    ).toEqual([]);
    expect(
      validateValueSettings({
        ...valid,
        monthlyDiscountRate: "1.000000000000",
        defaultMarginRate: "0.000000000001",
      }),
    ).toEqual([]);
  });

  it("names every field that is wrong, in field order", () => {
    const bad = {
      ...valid,
      model: "magic",
      horizonMonths: 0,
      monthlyDiscountRate: "1%",
      defaultMarginRate: "1.5",
      timeUnit: "year",
    } as unknown as ValueSettings;
    expect(issuesOf(bad)).toEqual([
      ["model", "MODEL_UNKNOWN"],
      ["horizonMonths", "HORIZON_OUT_OF_RANGE", "1", "120"],
      ["monthlyDiscountRate", "RATE_NOT_DECIMAL"],
      ["defaultMarginRate", "RATE_OUT_OF_RANGE", "0", "1"],
      ["timeUnit", "TIME_UNIT_UNKNOWN"],
    ]);
  });

  it("refuses a horizon outside 1..120 months instead of clamping it", () => {
    const { min, max } = VALUE_SETTINGS_BOUNDS.horizonMonths;
    expect(validateValueSettings({ ...valid, horizonMonths: min })).toEqual([]);
    expect(validateValueSettings({ ...valid, horizonMonths: max })).toEqual([]);
    for (const horizonMonths of [0, -1, 121, 999]) {
      expect(issuesOf({ ...valid, horizonMonths })).toEqual([
        ["horizonMonths", "HORIZON_OUT_OF_RANGE", "1", "120"],
      ]);
    }
  });

  it("refuses a horizon that is not a whole number of months", () => {
    for (const horizonMonths of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(issuesOf({ ...valid, horizonMonths })).toEqual([
        ["horizonMonths", "HORIZON_NOT_WHOLE"],
      ]);
    }
  });

  it("refuses rates above 1 as out of range, with the bounds", () => {
    for (const rate of ["5", "1.01", "1.000000000001", "2.0", "10"]) {
      expect(issuesOf({ ...valid, monthlyDiscountRate: rate })).toEqual([
        ["monthlyDiscountRate", "RATE_OUT_OF_RANGE", "0", "1"],
      ]);
    }
  });

  it("refuses rates that are not plain decimals with at most 12 decimals", () => {
    for (const rate of ["", "1%", "-0.1", ".5", "0.", "0,5", "1e-2", " 0.1", "0.0000000000001"]) {
      expect(issuesOf({ ...valid, defaultMarginRate: rate })).toEqual([
        ["defaultMarginRate", "RATE_NOT_DECIMAL"],
      ]);
    }
  });

  it("refuses an unknown CAC source", () => {
    expect(issuesOf({ ...valid, cacSource: "magic" } as unknown as ValueSettings)).toEqual([
      ["cacSource", "CAC_SOURCE_UNKNOWN"],
    ]);
  });

  it("ties the fixed CAC amount to the fixed source", () => {
    expect(issuesOf({ ...valid, cacSource: "fixed", fixedCacMinor: null })).toEqual([
      ["fixedCacMinor", "FIXED_CAC_REQUIRED"],
    ]);
    expect(issuesOf({ ...valid, cacSource: "fixed", fixedCacMinor: -1 })).toEqual([
      ["fixedCacMinor", "FIXED_CAC_NEGATIVE", "0"],
    ]);
    expect(issuesOf({ ...valid, cacSource: "fixed", fixedCacMinor: 0.5 })).toEqual([
      ["fixedCacMinor", "FIXED_CAC_NEGATIVE", "0"],
    ]);
    expect(validateValueSettings({ ...valid, cacSource: "fixed", fixedCacMinor: 0 })).toEqual([]);
    expect(issuesOf({ ...valid, fixedCacMinor: 100 })).toEqual([
      ["fixedCacMinor", "FIXED_CAC_WITHOUT_FIXED_SOURCE"],
    ]);
  });

  it("says in the message what was wrong and the value given", () => {
    const [issue] = validateValueSettings({ ...valid, horizonMonths: 999 });
    expect(issue?.message).toBe("the horizon must be from 1 to 120 months (got 999)");
  });

  it("does not change its input", () => {
    const input = { ...valid, horizonMonths: 0 };
    const copy = { ...input };
    validateValueSettings(input);
    expect(input).toEqual(copy);
  });
});
