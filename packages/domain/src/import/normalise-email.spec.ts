import { describe, expect, it } from "vitest";
import { normaliseEmail } from "./normalise-email";

describe("normaliseEmail", () => {
  it("accepts ordinary addresses and lower-cases them", () => {
    expect(normaliseEmail(" Ann.Lee@Example.COM ")).toEqual({
      ok: true,
      email: "ann.lee@example.com",
    });
    expect(normaliseEmail("a+tag@mail.example.co.uk")).toEqual({
      ok: true,
      email: "a+tag@mail.example.co.uk",
    });
    expect(normaliseEmail("o'brien@example.ie").ok).toBe(true);
  });

  it.each([
    "ann",
    "ann@",
    "@example.com",
    "ann@example",
    "ann@@example.com",
    "ann@exa mple.com",
    "ann lee@example.com",
    ".ann@example.com",
    "ann.@example.com",
    "an..n@example.com",
    "ann@-example.com",
    "ann@example.c",
    "ann@example.123",
    '"ann"@example.com',
    "ann@[127.0.0.1]",
    "zoë@example.com",
    `${"a".repeat(65)}@example.com`,
    `a@${"b".repeat(250)}.com`,
  ])("refuses %j", (text) => {
    expect(normaliseEmail(text).ok).toBe(false);
  });
});
