import { describe, expect, it } from "vitest";
import { closestWord } from "./segment-suggest";

describe("closestWord", () => {
  it("suggests the closest candidate within a few edits", () => {
    expect(closestWord("hgih", ["low", "medium", "high"])).toBe("high");
    expect(closestWord("tiers", ["tier", "clv"])).toBe("tier");
    expect(closestWord("champions", ["LOYAL", "CHAMPIONS"])).toBe("CHAMPIONS");
    expect(closestWord("last_order", ["last_order_date", "first_order_date"])).toBeUndefined();
    expect(closestWord("lastorder_date", ["last_order_date", "first_order_date"])).toBe(
      "last_order_date",
    );
  });

  it("suggests nothing for far or huge words", () => {
    expect(closestWord("xyz", ["tier", "clv"])).toBeUndefined();
    expect(closestWord("", ["tier"])).toBeUndefined();
    expect(closestWord("t".repeat(5_000), ["tier"])).toBeUndefined();
  });
});
