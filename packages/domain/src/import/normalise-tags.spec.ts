import { describe, expect, it } from "vitest";
import { normaliseTags } from "./normalise-tags";

describe("normaliseTags", () => {
  it("splits on ';', trims, lower-cases, dedupes and sorts", () => {
    expect(normaliseTags(" VIP ; newsletter;;vip")).toEqual({ ok: true, tags: "newsletter;vip" });
    expect(normaliseTags("Gift   Buyer;b2b")).toEqual({ ok: true, tags: "b2b;gift buyer" });
  });

  it("gives the same result for the same tags in another order", () => {
    expect(normaliseTags("b;a;c")).toEqual(normaliseTags("C;b;A"));
  });

  it("returns an empty list for blank input", () => {
    expect(normaliseTags(" ; ;")).toEqual({ ok: true, tags: "" });
  });

  it("refuses tags that do not fit", () => {
    expect(normaliseTags("x".repeat(65)).ok).toBe(false);
    const many = Array.from({ length: 200 }, (_, i) => `tag-number-${i}`).join(";");
    const result = normaliseTags(many);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/at most 1024/);
  });
});
