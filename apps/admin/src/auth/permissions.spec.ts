import { describe, expect, it } from "vitest";
import { canManageValue } from "./permissions";

describe("canManageValue", () => {
  it("lets admins and marketers run scoring, not analysts", () => {
    expect(canManageValue("ADMIN")).toBe(true);
    expect(canManageValue("MARKETER")).toBe(true);
    expect(canManageValue("ANALYST")).toBe(false);
  });

  it("does not know before the role is loaded", () => {
    expect(canManageValue(null)).toBeNull();
    expect(canManageValue(undefined)).toBeNull();
  });
});
