import { describe, expect, it } from "vitest";
import { chooseHoldoutWindow } from "./holdout-window";

describe("chooseHoldoutWindow", () => {
  it("holds out 26 weeks of a two-year history", () => {
    expect(chooseHoldoutWindow(0, 729)).toEqual({
      calibrationEnd: 547,
      holdoutEnd: 729,
      days: 182,
    });
  });

  it("holds out a third of a short history", () => {
    expect(chooseHoldoutWindow(100, 160)).toEqual({
      calibrationEnd: 140,
      holdoutEnd: 160,
      days: 20,
    });
  });

  it("gives no holdout when a third of the span is under a week", () => {
    expect(chooseHoldoutWindow(0, 20)).toBeNull();
    expect(chooseHoldoutWindow(5, 5)).toBeNull();
    expect(chooseHoldoutWindow(0, 21)).toEqual({ calibrationEnd: 14, holdoutEnd: 21, days: 7 });
  });
});
