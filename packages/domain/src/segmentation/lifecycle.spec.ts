import { describe, expect, it } from "vitest";
import { AUDIENCE_FIELDS } from "../audience";
import {
  CHURN_RISKS,
  DEFAULT_LIFECYCLE_SETTINGS,
  LIFECYCLE_STAGES,
  churnRisk,
  customerStatusWords,
  lifecycleStage,
  validateLifecycleSettings,
  type LifecycleInput,
} from "./lifecycle";

const NOW = new Date(Date.UTC(2026, 5, 1));
const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * 86_400_000);

/** A customer of 400 days with orders every 50 days, last one 10 days ago, no model. */
function customer(overrides: Partial<LifecycleInput> = {}): LifecycleInput {
  return {
    orderCount: 8,
    firstOrderAt: daysAgo(360),
    lastOrderAt: daysAgo(10),
    pAlive: null,
    expectedDaysToNextPurchase: null,
    now: NOW,
    ...overrides,
  };
}

describe("lifecycleStage", () => {
  it("uses the audience spec's keys", () => {
    expect(LIFECYCLE_STAGES).toEqual(AUDIENCE_FIELDS.lifecycle_stage.values);
    expect(CHURN_RISKS).toEqual(AUDIENCE_FIELDS.churn_risk.values);
  });

  it("calls a customer without a completed order a prospect", () => {
    const prospect = customer({ orderCount: 0, firstOrderAt: null, lastOrderAt: null });
    expect(lifecycleStage(prospect)).toBe("prospect");
    expect(churnRisk(prospect)).toBeNull();
  });

  it("calls a first order at most 90 days ago new", () => {
    const one = (days: number) =>
      customer({ orderCount: 1, firstOrderAt: daysAgo(days), lastOrderAt: daysAgo(days) });
    expect(lifecycleStage(one(90))).toBe("new");
    expect(lifecycleStage(one(90.01))).toBe("mature");
  });

  it("calls P(alive) below 0.1 churned, and without a model 365 days without an order", () => {
    expect(lifecycleStage(customer({ pAlive: 0.0999 }))).toBe("churned");
    expect(lifecycleStage(customer({ pAlive: 0.1 }))).toBe("declining");
    const quiet = (days: number) =>
      customer({ firstOrderAt: daysAgo(800), lastOrderAt: daysAgo(days), orderCount: 2 });
    expect(lifecycleStage(quiet(365))).toBe("churned");
    // One day short of the window: not churned, and 364 days is within twice its 436-day gap.
    expect(lifecycleStage(quiet(364))).toBe("mature");
  });

  it("calls P(alive) below 0.5 declining, or more than twice the customer's own gap since the last order", () => {
    expect(lifecycleStage(customer({ pAlive: 0.4999 }))).toBe("declining");
    expect(lifecycleStage(customer({ pAlive: 0.5 }))).toBe("mature");
    // Orders every 50 days (8 orders over 350 days): declining after more than 100 days.
    const gap = (days: number) =>
      customer({ firstOrderAt: daysAgo(350 + days), lastOrderAt: daysAgo(days) });
    expect(lifecycleStage(gap(100))).toBe("mature");
    expect(lifecycleStage(gap(100.01))).toBe("declining");
  });

  it("calls a customer of under a year with a rising order rate growing", () => {
    const young = (overrides: Partial<LifecycleInput>) =>
      customer({
        firstOrderAt: daysAgo(200),
        lastOrderAt: daysAgo(5),
        orderCount: 6,
        ...overrides,
      });
    expect(lifecycleStage(young({ ordersInRecentHalf: 4 }))).toBe("growing");
    expect(lifecycleStage(young({ ordersInRecentHalf: 3 }))).toBe("mature");
    // Without the count: the model expecting the next order sooner than the mean gap (39 days).
    expect(lifecycleStage(young({ expectedDaysToNextPurchase: 20 }))).toBe("growing");
    expect(lifecycleStage(young({ expectedDaysToNextPurchase: 40 }))).toBe("mature");
    // A year or more of tenure is never growing.
    const older = customer({
      firstOrderAt: daysAgo(365),
      lastOrderAt: daysAgo(5),
      ordersInRecentHalf: 7,
    });
    expect(lifecycleStage(older)).toBe("mature");
    expect(
      lifecycleStage(
        customer({ firstOrderAt: daysAgo(364.9), lastOrderAt: daysAgo(5), ordersInRecentHalf: 7 }),
      ),
    ).toBe("growing");
  });

  it("follows changed settings", () => {
    const settings = { ...DEFAULT_LIFECYCLE_SETTINGS, newWithinDays: 400 };
    expect(lifecycleStage(customer(), settings)).toBe("new");
  });

  it("refuses inconsistent input, naming the field", () => {
    expect(() => lifecycleStage(customer({ lastOrderAt: null }))).toThrow(
      /lastOrderAt must be a valid date/,
    );
    expect(() => lifecycleStage(customer({ lastOrderAt: daysAgo(-1) }))).toThrow(
      expect.objectContaining({ code: "INVALID_DATE", location: { field: "lastOrderAt" } }),
    );
    expect(() => lifecycleStage(customer({ pAlive: 1.2 }))).toThrow(/pAlive must be a probability/);
    expect(() => lifecycleStage(customer({ ordersInRecentHalf: 9 }))).toThrow(/ordersInRecentHalf/);
    expect(() =>
      lifecycleStage(customer(), { ...DEFAULT_LIFECYCLE_SETTINGS, churnedAfterDays: 0 }),
    ).toThrow(/invalid lifecycle settings: churnedAfterDays/);
  });
});

describe("churnRisk", () => {
  it("is high below P(alive) 0.3, medium below 0.7, else low", () => {
    expect(churnRisk(customer({ pAlive: 0.2999 }))).toBe("high");
    expect(churnRisk(customer({ pAlive: 0.3 }))).toBe("medium");
    expect(churnRisk(customer({ pAlive: 0.6999 }))).toBe("medium");
    expect(churnRisk(customer({ pAlive: 0.7 }))).toBe("low");
    expect(churnRisk(customer({ pAlive: 0.05 }))).toBe("high");
  });

  it("without P(alive) compares the days since the last order with the expected gap", () => {
    // Mean gap 50 days: low up to 50, medium up to 100, high beyond.
    const since = (days: number, expected: number | null = null) =>
      customer({
        firstOrderAt: daysAgo(350 + days),
        lastOrderAt: daysAgo(days),
        expectedDaysToNextPurchase: expected,
      });
    expect(churnRisk(since(50))).toBe("low");
    expect(churnRisk(since(50.01))).toBe("medium");
    expect(churnRisk(since(100))).toBe("medium");
    expect(churnRisk(since(100.01))).toBe("high");
    // The model's expected gap wins over the customer's own mean.
    expect(churnRisk(since(50, 20))).toBe("high");
  });

  it("with one order and no model, goes by the churn window", () => {
    const one = (days: number) =>
      customer({ orderCount: 1, firstOrderAt: daysAgo(days), lastOrderAt: daysAgo(days) });
    expect(churnRisk(one(182))).toBe("low");
    expect(churnRisk(one(182.5))).toBe("medium");
    expect(churnRisk(one(365))).toBe("high");
  });
});

describe("customerStatusWords", () => {
  it('says "lapsed" for churned and "at risk" for declining or high risk', () => {
    expect(customerStatusWords("churned", "high")).toBe("lapsed");
    expect(customerStatusWords("declining", "medium")).toBe("at risk");
    expect(customerStatusWords("mature", "high")).toBe("at risk");
    expect(customerStatusWords("mature", "medium")).toBeNull();
    expect(customerStatusWords("prospect", null)).toBeNull();
  });
});

describe("validateLifecycleSettings", () => {
  it("accepts the defaults and names each bad setting", () => {
    expect(validateLifecycleSettings(DEFAULT_LIFECYCLE_SETTINGS)).toEqual([]);
    const bad = {
      ...DEFAULT_LIFECYCLE_SETTINGS,
      newWithinDays: 1.5,
      highRiskPAliveBelow: 1,
      decliningGapMultiple: 0.5,
    };
    expect(validateLifecycleSettings(bad).map((i) => [i.field, i.code])).toEqual([
      ["newWithinDays", "NOT_WHOLE_DAYS"],
      ["highRiskPAliveBelow", "NOT_A_PROBABILITY"],
      ["decliningGapMultiple", "OUT_OF_ORDER"],
    ]);
    const crossed = { ...DEFAULT_LIFECYCLE_SETTINGS, highRiskPAliveBelow: 0.8 };
    expect(validateLifecycleSettings(crossed).map((i) => i.code)).toEqual(["OUT_OF_ORDER"]);
  });
});
