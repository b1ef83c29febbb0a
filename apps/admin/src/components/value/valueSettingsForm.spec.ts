import { describe, expect, it } from "vitest";
import { runPhase } from "./runLabels";
import {
  draftFromSettings,
  isPlainDecimal,
  settingsPatch,
  type ValueSettingsLike,
} from "./valueSettingsForm";

const SAVED: ValueSettingsLike = {
  model: "BGNBD",
  horizonMonths: 12,
  monthlyDiscountRate: "0.01",
  defaultMarginRate: "0.3",
  cacSource: "CHANNEL",
  fixedCac: null,
  timeUnit: "WEEK",
};

describe("settingsPatch", () => {
  const saved = draftFromSettings(SAVED);

  it("sends only the fields that changed", () => {
    expect(settingsPatch(saved, { ...saved, horizonMonths: 24 })).toEqual({ horizonMonths: 24 });
    expect(settingsPatch(saved, { ...saved, model: "DCF", monthlyDiscountRate: "0.02" })).toEqual({
      model: "DCF",
      monthlyDiscountRate: "0.02",
    });
  });

  it("sends nothing when nothing changed, even after trimming", () => {
    expect(settingsPatch(saved, { ...saved })).toEqual({});
    expect(settingsPatch(saved, { ...saved, defaultMarginRate: " 0.3 " })).toEqual({});
  });

  it("sends a fixed CAC with the switch to FIXED", () => {
    expect(settingsPatch(saved, { ...saved, cacSource: "FIXED", fixedCac: " 25.00 " })).toEqual({
      cacSource: "FIXED",
      fixedCac: "25.00",
    });
  });

  it("does not send an amount typed before switching back to each customer's CAC", () => {
    const withCac = draftFromSettings({
      ...SAVED,
      cacSource: "FIXED",
      fixedCac: { amount: "25.00" },
    });
    expect(settingsPatch(withCac, { ...withCac, cacSource: "CHANNEL", fixedCac: "30.00" })).toEqual(
      {
        cacSource: "CHANNEL",
      },
    );
  });

  it("does not send an emptied fixed CAC or an emptied horizon", () => {
    const withCac = draftFromSettings({
      ...SAVED,
      cacSource: "FIXED",
      fixedCac: { amount: "25.00" },
    });
    expect(withCac.fixedCac).toBe("25.00");
    expect(settingsPatch(withCac, { ...withCac, fixedCac: "" })).toEqual({});
    expect(settingsPatch(saved, { ...saved, horizonMonths: null })).toEqual({});
  });

  it("does not change its inputs", () => {
    const draft = Object.freeze({ ...saved, horizonMonths: 6 });
    settingsPatch(Object.freeze({ ...saved }), draft);
    expect(draft.horizonMonths).toBe(6);
  });
});

describe("isPlainDecimal", () => {
  it("accepts plain decimals and rejects the rest", () => {
    expect(["0.01", "1", " 0.3 ", "25.00"].map(isPlainDecimal)).toEqual([true, true, true, true]);
    expect(["", "1%", "-0.1", "0,01", ".5", "1e-2"].map(isPlainDecimal)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("runPhase", () => {
  it("knows the API's phases and passes over new ones", () => {
    expect(runPhase("fitting")).toBe("fitting");
    expect(runPhase("exporting")).toBeNull();
  });
});
