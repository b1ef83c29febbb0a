import { describe, expect, it } from "vitest";
import { npsCategory } from "./npsCategory";

describe("npsCategory", () => {
  it("splits answers at 7 and 9", () => {
    expect([0, 6, 7, 8, 9, 10].map(npsCategory)).toEqual([
      "detractor",
      "detractor",
      "passive",
      "passive",
      "promoter",
      "promoter",
    ]);
  });

  it("has no category for missing or impossible answers", () => {
    expect(npsCategory(null)).toBeNull();
    expect(npsCategory(undefined)).toBeNull();
    expect(npsCategory(11)).toBeNull();
    expect(npsCategory(-1)).toBeNull();
    expect(npsCategory(7.5)).toBeNull();
  });
});
