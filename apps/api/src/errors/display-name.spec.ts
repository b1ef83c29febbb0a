import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { cleanDisplayName } from "./display-name";

describe("cleanDisplayName", () => {
  it("trims a printable name", () => {
    expect(cleanDisplayName("  Storefront – 東京 ", "input.name", 120)).toBe("Storefront – 東京");
  });

  it("refuses control characters, saying which and where", () => {
    expect(cleanDisplayName("shop\u0000x", "input.name", 120)).toEqual({
      field: "input.name",
      code: "INVALID_CHARACTERS",
      message: "name contains the control character U+0000 at position 5; use printable text",
    });
    for (const raw of ["a\nb", "a\tb", "\u001b[31mred", "a\u0085b", "a\u2028b", "\u202Egnp.exe"])
      expect(cleanDisplayName(raw, "f", 120)).toMatchObject({ code: "INVALID_CHARACTERS" });
  });

  it("counts characters, not UTF-16 units, against the limit", () => {
    expect(cleanDisplayName("😀".repeat(120), "f", 120)).toBe("😀".repeat(120));
    expect(cleanDisplayName("x".repeat(121), "input.name", 120)).toEqual({
      field: "input.name",
      code: "TOO_LONG",
      message: "name has 121 characters; at most 120 are allowed",
    });
  });

  it("leaves an empty name to the caller (required or not)", () => {
    expect(cleanDisplayName("   ", "f", 10)).toBe("");
  });
});
