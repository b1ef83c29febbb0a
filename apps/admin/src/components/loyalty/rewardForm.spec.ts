import { describe, expect, it } from "vitest";
import {
  createRewardInput,
  rewardDraft,
  rewardProblems,
  updateRewardInput,
  type RewardValue,
} from "./rewardForm";

const REWARD: RewardValue = {
  id: "4",
  name: "Free coffee",
  description: "",
  pointsCost: 100,
  tierKeys: ["high"],
  stock: 50,
  perCustomerLimit: 2,
  validFrom: "2026-01-01T00:00:00.000Z",
  validUntil: "2027-01-01T00:00:00.000Z",
  couponPrefix: "COFFEE",
  campaignOnly: false,
  active: true,
};

describe("rewardDraft and the inputs", () => {
  it("sends an unchanged reward back as it was", () => {
    const input = updateRewardInput(REWARD, rewardDraft(REWARD));
    expect(input).toEqual({ ...REWARD, id: "4" });
  });

  it("starts a new reward active, unlimited, for every tier", () => {
    expect(createRewardInput({ ...rewardDraft(null), name: " Mug ", pointsCost: 300 })).toEqual({
      name: "Mug",
      description: "",
      pointsCost: 300,
      tierKeys: [],
      stock: null,
      perCustomerLimit: null,
      validFrom: null,
      validUntil: null,
      couponPrefix: "",
      campaignOnly: false,
      active: true,
    });
  });

  it("sends a campaign-only reward as one", () => {
    const input = updateRewardInput(REWARD, { ...rewardDraft(REWARD), campaignOnly: true });
    expect(input.campaignOnly).toBe(true);
  });

  it("keeps a validity open at one end that the range picker cannot show", () => {
    const reward = { ...REWARD, validFrom: null };
    const input = updateRewardInput(reward, rewardDraft(reward));
    expect(input).not.toHaveProperty("validUntil");
    expect(input).not.toHaveProperty("validFrom");
  });

  it("clears a validity the form cleared", () => {
    const input = updateRewardInput(REWARD, { ...rewardDraft(REWARD), validity: null });
    expect(input.validFrom).toBeNull();
    expect(input.validUntil).toBeNull();
  });
});

describe("rewardProblems", () => {
  const base = createRewardInput(rewardDraft(REWARD));

  it("accepts a good reward", () => {
    expect(rewardProblems(base)).toEqual([]);
  });

  it.each([
    ["a blank name", { name: "  " }, "name", "INVALID_TEXT"],
    ["a name of 121 characters", { name: "x".repeat(121) }, "name", "INVALID_TEXT"],
    ["no points cost", { pointsCost: Number.NaN }, "pointsCost", "INVALID_POINTS"],
    ["a points cost of 0", { pointsCost: 0 }, "pointsCost", "INVALID_POINTS"],
    ["a fractional cost", { pointsCost: 1.5 }, "pointsCost", "INVALID_POINTS"],
    ["a negative stock", { stock: -1 }, "stock", "INVALID_STOCK"],
    ["a limit of 0", { perCustomerLimit: 0 }, "perCustomerLimit", "INVALID_LIMIT"],
    [
      "an end before the start",
      { validFrom: "2027-01-01T00:00:00.000Z", validUntil: "2026-01-01T00:00:00.000Z" },
      "validUntil",
      "INVALID_PERIOD",
    ],
    ["a lowercase prefix", { couponPrefix: "coffee" }, "couponPrefix", "INVALID_PREFIX"],
  ])("refuses %s", (_name, patch, field, code) => {
    expect(rewardProblems({ ...base, ...patch })).toEqual([{ field, code }]);
  });

  it("accepts a stock of 0 and no limit", () => {
    expect(rewardProblems({ ...base, stock: 0, perCustomerLimit: null })).toEqual([]);
  });
});
