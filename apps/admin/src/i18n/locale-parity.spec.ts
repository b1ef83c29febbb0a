import { describe, expect, it } from "vitest";
import en from "./en";
import { flattenMessages, placeholders, type MessageTree } from "./messageKeys";
import zhTW from "./zh-TW";

// The typecheck already ties zh-TW to the English schema; this catches what a cast or an
// `as any` could hide, and checks placeholders, which the types cannot see.
const english = flattenMessages(en as unknown as MessageTree);
const chinese = flattenMessages(zhTW as unknown as MessageTree);

describe("locale parity", () => {
  it("has every English key in Traditional Chinese", () => {
    const missing = [...english.keys()].filter((key) => !chinese.has(key));
    expect(missing).toEqual([]);
  });

  it("has no Traditional Chinese key that English lacks", () => {
    const extra = [...chinese.keys()].filter((key) => !english.has(key));
    expect(extra).toEqual([]);
  });

  it("uses the same placeholders in both languages", () => {
    const mismatched = [...english].filter(
      ([key, text]) =>
        placeholders(text).join(",") !== placeholders(chinese.get(key) ?? "").join(","),
    );
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it("leaves no message empty", () => {
    const empty = [...english, ...chinese].filter(([, text]) => text.trim() === "");
    expect(empty).toEqual([]);
  });

  it("really translates the navigation", () => {
    expect(chinese.get("nav.customers")).toBe("客戶");
    expect(chinese.get("nav.dashboard")).toBe("儀表板");
    expect(chinese.get("nav.settings")).toBe("設定");
  });
});

describe("flattenMessages", () => {
  it("reports a key missing from a nested group", () => {
    const a = flattenMessages({ g: { x: "1", y: "2" } });
    const b = flattenMessages({ g: { x: "1" } });
    expect([...a.keys()].filter((key) => !b.has(key))).toEqual(["g.y"]);
  });
});

describe("placeholders", () => {
  it("lists named placeholders and ignores literals", () => {
    expect(placeholders("Page {page} of {pages}, {page}")).toEqual(["page", "pages"]);
    expect(placeholders("you{'@'}example.com")).toEqual([]);
  });
});
