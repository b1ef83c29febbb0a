import { describe, expect, it } from "vitest";
import { canManageSegments, canManageTiers, canManageValue } from "./permissions";

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

describe("canManageSegments and canManageTiers", () => {
  it("lets admins and marketers change segments and tiers, not analysts", () => {
    for (const can of [canManageSegments, canManageTiers]) {
      expect(can("ADMIN")).toBe(true);
      expect(can("MARKETER")).toBe(true);
      expect(can("ANALYST")).toBe(false);
      expect(can(null)).toBeNull();
    }
  });
});

describe("loyalty permissions", () => {
  it("keeps the settings and manual adjustments to admins", async () => {
    const { canManageLoyalty } = await import("./permissions");
    expect(canManageLoyalty("ADMIN")).toBe(true);
    expect(canManageLoyalty("MARKETER")).toBe(false);
    expect(canManageLoyalty("ANALYST")).toBe(false);
    expect(canManageLoyalty(null)).toBeNull();
  });

  it("lets admins and marketers manage rewards and redeem, not analysts", async () => {
    const { canManageRewards, canWriteLoyalty } = await import("./permissions");
    for (const can of [canManageRewards, canWriteLoyalty]) {
      expect(can("ADMIN")).toBe(true);
      expect(can("MARKETER")).toBe(true);
      expect(can("ANALYST")).toBe(false);
    }
  });
});
