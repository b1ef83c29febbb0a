import { describe, expect, it } from "vitest";
import {
  parseMoney,
  validateValueSettings,
  type SettingsIssue,
  type ValueSettings,
} from "@valuetier/domain";
import type { ValueSettingsDraft } from "./valueSettingsForm";
import { settingsFieldOf, settingsProblems } from "./valueSettingsRules";

const DRAFT: ValueSettingsDraft = {
  model: "BGNBD",
  horizonMonths: 12,
  monthlyDiscountRate: "0.01",
  defaultMarginRate: "0.3",
  cacSource: "CHANNEL",
  fixedCac: "",
  timeUnit: "WEEK",
};

/**
 * What the API answers for the settings the form would send (value-settings.resolver.ts):
 * the amount is parsed as money (INVALID_MONEY when it cannot be), then the domain rules
 * check the whole; the CHANNEL source drops the amount.
 */
function apiAnswer(draft: ValueSettingsDraft): [string, string, string?, string?][] {
  const fixed = draft.cacSource === "FIXED";
  const text = draft.fixedCac.trim();
  let fixedCacMinor: number | null = null;
  if (fixed && text !== "") {
    const parsed = parseMoney(text, "USD");
    if (!parsed.ok) return [["fixedCac", "INVALID_MONEY"]];
    fixedCacMinor = parsed.minor;
  }
  const settings: ValueSettings = {
    model: "bgnbd",
    horizonMonths: draft.horizonMonths ?? Number.NaN,
    monthlyDiscountRate: draft.monthlyDiscountRate.trim(),
    defaultMarginRate: draft.defaultMarginRate.trim(),
    cacSource: fixed ? "fixed" : "channel",
    fixedCacMinor,
    timeUnit: "week",
  };
  return validateValueSettings(settings).map((issue: SettingsIssue) => row(issue));
}

function row(problem: {
  field: string;
  code: string;
  min?: string;
  max?: string;
}): [string, string, string?, string?] {
  const field = problem.field === "fixedCacMinor" ? "fixedCac" : problem.field;
  const out: [string, string, string?, string?] = [field, problem.code];
  if (problem.min !== undefined) out.push(problem.min);
  if (problem.max !== undefined) out.push(problem.max);
  return out;
}

const CASES: Partial<ValueSettingsDraft>[] = [
  {},
  { horizonMonths: 1 },
  { horizonMonths: 120 },
  { horizonMonths: 0 },
  { horizonMonths: 121 },
  { horizonMonths: 999 },
  { horizonMonths: -3 },
  { horizonMonths: 1.5 },
  { horizonMonths: null },
  { monthlyDiscountRate: "0" },
  { monthlyDiscountRate: "1" },
  { monthlyDiscountRate: "1.000" },
  { monthlyDiscountRate: "5" },
  { monthlyDiscountRate: "1.01" },
  { monthlyDiscountRate: "1%" },
  { monthlyDiscountRate: "" },
  { monthlyDiscountRate: "-0.1" },
  { monthlyDiscountRate: " 0.02 " },
  { monthlyDiscountRate: "0.0000000000001" },
  { monthlyDiscountRate: "0.000000000001" },
  { defaultMarginRate: "1.5" },
  { defaultMarginRate: "abc" },
  { defaultMarginRate: ".5" },
  { cacSource: "FIXED", fixedCac: "" },
  { cacSource: "FIXED", fixedCac: "25.00" },
  { cacSource: "FIXED", fixedCac: "0" },
  { cacSource: "FIXED", fixedCac: "-5" },
  { cacSource: "FIXED", fixedCac: "-0" },
  { cacSource: "FIXED", fixedCac: "1.005" },
  { cacSource: "FIXED", fixedCac: "12,50" },
  { cacSource: "CHANNEL", fixedCac: "25.00" },
  { horizonMonths: 0, monthlyDiscountRate: "5", defaultMarginRate: "x", cacSource: "FIXED" },
];

describe("settingsProblems agrees with the domain rules the API applies", () => {
  it.each(CASES.map((patch) => [JSON.stringify(patch), patch] as const))("%s", (_, patch) => {
    const draft = { ...DRAFT, ...patch };
    expect(settingsProblems(draft, 2).map(row)).toEqual(apiAnswer(draft));
  });

  it("finds the refusals the issue reported", () => {
    expect(settingsProblems({ ...DRAFT, horizonMonths: 0 }, 2)).toEqual([
      { field: "horizonMonths", code: "HORIZON_OUT_OF_RANGE", min: "1", max: "120" },
    ]);
    expect(settingsProblems({ ...DRAFT, monthlyDiscountRate: "5" }, 2)).toEqual([
      { field: "monthlyDiscountRate", code: "RATE_OUT_OF_RANGE", min: "0", max: "1" },
    ]);
  });
});

describe("settingsFieldOf", () => {
  it("maps the API's input paths to form fields", () => {
    expect(settingsFieldOf("input.horizonMonths")).toBe("horizonMonths");
    expect(settingsFieldOf("input.fixedCac")).toBe("fixedCac");
    expect(settingsFieldOf("input.model")).toBeNull();
    expect(settingsFieldOf(null)).toBeNull();
  });
});
