import { describe, expect, it } from "vitest";
import { normaliseTags } from "./normalise-tags";

describe("normaliseTags", () => {
  it("splits on ';', trims, lower-cases and dedupes, keeping the given order", () => {
    expect(normaliseTags(" VIP ; newsletter;;vip")).toEqual({ ok: true, tags: "vip;newsletter" });
    expect(normaliseTags("Gift   Buyer;b2b")).toEqual({ ok: true, tags: "gift buyer;b2b" });
  });

  it("gives the same text for the same tags in any case and spacing", () => {
    expect(normaliseTags("b;a;c")).toEqual(normaliseTags(" B ;A;c;a"));
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
