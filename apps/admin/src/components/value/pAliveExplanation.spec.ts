import { describe, expect, it } from "vitest";
import { explainPAlive, pAliveVerdict, type PAliveFacts } from "./pAliveExplanation";

const AS_OF = "2024-06-30T00:00:00.000Z";

function facts(overrides: Partial<PAliveFacts>): PAliveFacts {
  return {
    pAlive: 0.9,
    frequency: 4,
    firstPurchaseAt: "2023-06-01T10:00:00.000Z",
    lastPurchaseAt: "2024-06-09T10:00:00.000Z",
    asOf: AS_OF,
    ...overrides,
  };
}

describe("explainPAlive", () => {
  it("describes a recent repeat buyer by purchases and recency", () => {
    expect(explainPAlive(facts({ pAlive: 0.93 }))).toEqual({
      kind: "active",
      verdict: "veryLikely",
      purchaseDays: 5,
      since: { unit: "week", count: 3 },
    });
  });

  it("says 'probably still a customer' just above one half, as the dashboard counts active", () => {
    const explanation = explainPAlive(facts({ pAlive: 0.51 }));
    expect(explanation).toMatchObject({ kind: "active", verdict: "likely" });
    expect(explainPAlive(facts({ pAlive: 0.5 }))).toMatchObject({
      kind: "lapsing",
      verdict: "unsure",
    });
  });

  it("describes a lapsed monthly buyer by the silence against their rhythm", () => {
    // Twelve purchase days a month apart, then nothing for 14 months.
    const explanation = explainPAlive(
      facts({
        pAlive: 0.04,
        frequency: 11,
        firstPurchaseAt: "2022-04-01T00:00:00.000Z",
        lastPurchaseAt: "2023-03-01T00:00:00.000Z",
        asOf: "2024-05-01T00:00:00.000Z",
      }),
    );
    expect(explanation).toEqual({
      kind: "lapsing",
      verdict: "lapsed",
      purchaseDays: 12,
      gap: { unit: "month", count: 14 },
      every: { unit: "month", count: 1 },
    });
  });

  it("warns that a one-time buyer's P(alive) says little", () => {
    expect(
      explainPAlive(facts({ pAlive: 1, frequency: 0, lastPurchaseAt: "2023-10-30T00:00:00Z" })),
    ).toEqual({ kind: "oneTime", since: { unit: "month", count: 8 } });
  });

  it("has nothing to say without purchases or without an estimate", () => {
    expect(explainPAlive(facts({ pAlive: null, frequency: 0, lastPurchaseAt: null }))).toEqual({
      kind: "noPurchases",
    });
    expect(explainPAlive(facts({ pAlive: null }))).toEqual({ kind: "notEstimated" });
    expect(explainPAlive(facts({ pAlive: Number.NaN }))).toEqual({ kind: "notEstimated" });
  });

  it("leaves out what it cannot measure instead of guessing", () => {
    expect(explainPAlive(facts({ pAlive: 0.1, asOf: null }))).toMatchObject({
      kind: "lapsing",
      gap: null,
    });
    expect(explainPAlive(facts({ pAlive: 0.1, firstPurchaseAt: null }))).toMatchObject({
      kind: "lapsing",
      every: null,
    });
    expect(explainPAlive(facts({ pAlive: 0.95, asOf: null }))).toMatchObject({
      kind: "active",
      since: null,
    });
  });

  it("measures to the model's last data day, not to today", () => {
    const explanation = explainPAlive(facts({ lastPurchaseAt: AS_OF }));
    expect(explanation).toMatchObject({ since: { unit: "day", count: 0 } });
  });

  it("does not change its input", () => {
    const input = Object.freeze(facts({}));
    explainPAlive(input);
    expect(input).toEqual(facts({}));
  });
});

describe("pAliveVerdict", () => {
  it("bands the probability", () => {
    expect([1, 0.8, 0.79, 0.5001, 0.5, 0.2, 0.19, 0].map(pAliveVerdict)).toEqual([
      "veryLikely",
      "veryLikely",
      "likely",
      "likely",
      "unsure",
      "unsure",
      "lapsed",
      "lapsed",
    ]);
  });
});
