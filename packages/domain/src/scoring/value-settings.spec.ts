import { describe, expect, it } from "vitest";
import { defaultValueSettings, validateValueSettings, type ValueSettings } from "./value-settings";

const valid = defaultValueSettings("0.3");

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
  });

  it("names each field that is wrong", () => {
    const bad = {
      ...valid,
      model: "magic",
      horizonMonths: 0,
      monthlyDiscountRate: "1%",
      defaultMarginRate: "1.5",
      timeUnit: "year",
    } as unknown as ValueSettings;
    expect(validateValueSettings(bad).map((i) => [i.field, i.code])).toEqual([
      ["model", "INVALID_MODEL"],
      ["horizonMonths", "INVALID_HORIZON"],
      ["monthlyDiscountRate", "INVALID_RATE"],
      ["defaultMarginRate", "INVALID_RATE"],
      ["timeUnit", "INVALID_TIME_UNIT"],
    ]);
  });

  it("ties the fixed CAC amount to the fixed source", () => {
    expect(
      validateValueSettings({ ...valid, cacSource: "fixed", fixedCacMinor: null })[0]?.code,
    ).toBe("INVALID_CAC");
    expect(
      validateValueSettings({ ...valid, cacSource: "fixed", fixedCacMinor: -1 })[0]?.code,
    ).toBe("INVALID_CAC");
    expect(validateValueSettings({ ...valid, fixedCacMinor: 100 })[0]?.field).toBe("fixedCacMinor");
  });

  it("bounds the horizon to whole months up to ten years", () => {
    expect(validateValueSettings({ ...valid, horizonMonths: 120 })).toEqual([]);
    expect(validateValueSettings({ ...valid, horizonMonths: 121 })).toHaveLength(1);
    expect(validateValueSettings({ ...valid, horizonMonths: 1.5 })).toHaveLength(1);
  });
});
