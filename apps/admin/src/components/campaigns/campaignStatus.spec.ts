import { describe, expect, it } from "vitest";
import { allowedActions, canManageCampaigns, editableFields } from "./campaignStatus";

describe("campaign status actions", () => {
  it("offers only the moves of the transition table", () => {
    expect(allowedActions("DRAFT")).toEqual(["launch", "schedule"]);
    expect(allowedActions("SCHEDULED")).toEqual(["launch", "unschedule", "end"]);
    expect(allowedActions("RUNNING")).toEqual(["pause", "end"]);
    expect(allowedActions("PAUSED")).toEqual(["resume", "end"]);
    expect(allowedActions("ENDED")).toEqual([]);
  });

  it("lets everything change before launch, a few fields after, nothing once ended", () => {
    expect(editableFields("DRAFT")).toBe("all");
    expect(editableFields("SCHEDULED")).toBe("all");
    expect(editableFields("RUNNING")).toBe("launched");
    expect(editableFields("PAUSED")).toBe("launched");
    expect(editableFields("ENDED")).toBe("none");
  });

  it("leaves campaigns to admins and marketers", () => {
    expect(canManageCampaigns("ADMIN")).toBe(true);
    expect(canManageCampaigns("MARKETER")).toBe(true);
    expect(canManageCampaigns("ANALYST")).toBe(false);
    expect(canManageCampaigns(null)).toBeNull();
  });
});
