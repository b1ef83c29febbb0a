import { describe, expect, it } from "vitest";
import { splitAtError } from "./queryErrorSpan";

describe("splitAtError", () => {
  it("cuts the erring word out of the query", () => {
    expect(splitAtError("churn_risk = 'hgih'", { offset: 13, length: 6 })).toEqual([
      "churn_risk = ",
      "'hgih'",
      "",
    ]);
    expect(splitAtError("a OR tiers = 1", { offset: 5, length: 5 })).toEqual([
      "a OR ",
      "tiers",
      " = 1",
    ]);
  });

  it("marks a space at the end of the text and keeps an offset past it in range", () => {
    expect(splitAtError("tier = 'high' AND", { offset: 17, length: 0 })).toEqual([
      "tier = 'high' AND",
      " ",
      "",
    ]);
    expect(splitAtError("x", { offset: 40, length: 3 })).toEqual(["x", " ", ""]);
  });
});
