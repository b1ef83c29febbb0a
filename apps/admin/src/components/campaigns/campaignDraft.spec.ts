import { describe, expect, it } from "vitest";
import {
  audienceInput,
  campaignInput,
  draftFromCampaign,
  draftProblems,
  emptyDraft,
  launchedInput,
} from "./campaignDraft";
import { instantToPicker, pickerToInstant, zoneOffset } from "./zonedTime";

const filled = () => ({
  ...emptyDraft("Asia/Taipei"),
  name: " Double points ",
  tierKeys: ["high"],
  pointsMultiplier: "2",
  bonusPoints: 50,
  couponCode: "SPRING",
  couponAmount: "5.00",
  budgetKind: "POINTS" as const,
  budgetAmount: "100000",
  startsAt: new Date(2026, 2, 1, 9, 0).getTime(),
  endsAt: new Date(2026, 2, 31, 18, 30).getTime(),
  controlPercent: 15,
});

describe("zoned schedule times", () => {
  it("reads the picker's wall clock in the campaign's zone", () => {
    expect(pickerToInstant(new Date(2026, 2, 1, 9, 0).getTime(), "Asia/Taipei")).toBe(
      "2026-03-01T01:00:00.000Z",
    );
    expect(pickerToInstant(new Date(2026, 6, 1, 9, 0).getTime(), "America/New_York")).toBe(
      "2026-07-01T13:00:00.000Z",
    );
    expect(pickerToInstant(new Date(2026, 0, 1, 9, 0).getTime(), "America/New_York")).toBe(
      "2026-01-01T14:00:00.000Z",
    );
  });

  it("shows a stored instant as the same wall clock again", () => {
    const picker = instantToPicker("2026-03-01T01:00:00.000Z", "Asia/Taipei");
    const d = new Date(picker);
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([
      2026, 2, 1, 9, 0,
    ]);
    expect(pickerToInstant(picker, "Asia/Taipei")).toBe("2026-03-01T01:00:00.000Z");
  });

  it("knows the zone's offset", () => {
    expect(zoneOffset(Date.parse("2026-03-01T00:00:00Z"), "Asia/Taipei")).toBe(8 * 3_600_000);
    expect(zoneOffset(Date.parse("2026-03-01T00:00:00Z"), "UTC")).toBe(0);
  });
});

describe("campaign draft", () => {
  it("becomes the create input with the chosen audience only", () => {
    const input = campaignInput(filled());
    expect(input).toEqual({
      name: "Double points",
      audience: { tierKeys: ["high"] },
      offer: {
        pointsMultiplier: "2",
        bonusPoints: 50,
        rewardId: null,
        coupon: { code: "SPRING", amount: "5.00" },
      },
      startsAt: "2026-03-01T01:00:00.000Z",
      endsAt: "2026-03-31T10:30:00.000Z",
      timeZone: "Asia/Taipei",
      budget: { kind: "POINTS", amount: "100000", onExhausted: "STOP_OFFERS" },
      controlShare: 0.15,
    });
    expect(audienceInput({ ...filled(), audienceKind: "segment", segmentId: "7" })).toEqual({
      segmentId: "7",
    });
    expect(audienceInput({ ...filled(), audienceKind: "query", query: "clv > 100" })).toEqual({
      query: "clv > 100",
    });
  });

  it("sends only what a launched campaign may change", () => {
    expect(Object.keys(launchedInput(filled())).sort()).toEqual([
      "budget",
      "endsAt",
      "name",
      "timeZone",
    ]);
  });

  it("reads a stored campaign back into the same form", () => {
    const draft = filled();
    const input = campaignInput(draft);
    const back = draftFromCampaign({
      name: input.name,
      audience: { tierKeys: ["high"], segmentId: null, query: null },
      offer: {
        pointsMultiplier: "2",
        bonusPoints: 50,
        rewardId: null,
        coupon: { code: "SPRING", amount: { amount: "5.00" } },
      },
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      timeZone: "Asia/Taipei",
      budget: { kind: "POINTS", amount: "100000", onExhausted: "STOP_OFFERS" },
      controlShare: 0.15,
    });
    expect(back).toEqual({ ...draft, name: "Double points" });
  });

  it("names what is missing or wrong, field by field", () => {
    expect(draftProblems(filled())).toEqual([]);
    const bad = {
      ...filled(),
      name: "  ",
      tierKeys: [],
      pointsMultiplier: "two",
      couponAmount: "",
      budgetAmount: "-5",
      endsAt: new Date(2026, 1, 1).getTime(),
      controlPercent: 95,
    };
    expect(draftProblems(bad)).toEqual([
      { field: "name", code: "REQUIRED" },
      { field: "audience.tierKeys", code: "REQUIRED" },
      { field: "offer.pointsMultiplier", code: "INVALID_NUMBER" },
      { field: "offer.coupon.amount", code: "INVALID_NUMBER" },
      { field: "budget.amount", code: "INVALID_NUMBER" },
      { field: "endsAt", code: "INVALID_SCHEDULE" },
      { field: "controlShare", code: "INVALID_NUMBER" },
    ]);
    expect(draftProblems({ ...filled(), timeZone: "Mars/Olympus" })).toEqual([
      { field: "timeZone", code: "INVALID_TIME_ZONE" },
    ]);
  });
});
