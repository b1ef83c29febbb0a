import { afterAll, describe, expect, it } from "vitest";
import { i18n, setLocale } from "../../i18n";
import type { Translate } from "../../i18n/useTranslation";
import { explainPAlive } from "./pAliveExplanation";
import { pAliveSentences } from "./pAliveText";

const t = i18n.global.t as unknown as Translate;

const RECENT = explainPAlive({
  pAlive: 0.93,
  frequency: 4,
  firstPurchaseAt: "2023-06-01T10:00:00.000Z",
  lastPurchaseAt: "2024-06-09T10:00:00.000Z",
  asOf: "2024-06-30T00:00:00.000Z",
});
const LAPSED_MONTHLY = explainPAlive({
  pAlive: 0.04,
  frequency: 11,
  firstPurchaseAt: "2022-04-01T00:00:00.000Z",
  lastPurchaseAt: "2023-03-01T00:00:00.000Z",
  asOf: "2024-05-01T00:00:00.000Z",
});

afterAll(() => setLocale("en"));

describe("pAliveSentences", () => {
  it("words a recent repeat buyer", () => {
    setLocale("en");
    expect(pAliveSentences(RECENT, t)).toEqual([
      "Bought on 5 different days, the last 3 weeks ago: very likely still a customer.",
    ]);
  });

  it("words a lapsed monthly buyer by the silence against the rhythm", () => {
    setLocale("en");
    expect(pAliveSentences(LAPSED_MONTHLY, t)).toEqual([
      "No purchase for 14 months after buying about every month: probably lapsed.",
    ]);
  });

  it("says a rhythm of several units with its number", () => {
    setLocale("en");
    const text = pAliveSentences(
      {
        kind: "lapsing",
        verdict: "unsure",
        purchaseDays: 3,
        gap: { unit: "month", count: 7 },
        every: { unit: "week", count: 3 },
      },
      t,
    );
    expect(text).toEqual([
      "No purchase for 7 months after buying about every 3 weeks: may have lapsed.",
    ]);
  });

  it("adds the caveat for one-time buyers", () => {
    setLocale("en");
    const text = pAliveSentences({ kind: "oneTime", since: { unit: "month", count: 8 } }, t);
    expect(text[0]).toBe("Bought once, 8 months ago.");
    expect(text[1]).toMatch(/only after a repeat purchase/);
  });

  it("says 'on the latest day' instead of '0 days ago'", () => {
    setLocale("en");
    const text = pAliveSentences(
      { kind: "active", verdict: "likely", purchaseDays: 2, since: { unit: "day", count: 0 } },
      t,
    );
    expect(text).toEqual([
      "Bought on 2 different days, the last on the latest day in the data: probably still a customer.",
    ]);
  });

  it("leaves out the time when it is not known", () => {
    setLocale("en");
    expect(
      pAliveSentences(
        { kind: "lapsing", verdict: "lapsed", purchaseDays: 4, gap: null, every: null },
        t,
      ),
    ).toEqual(["Bought on 4 different days: probably lapsed."]);
  });

  it("speaks Traditional Chinese", () => {
    setLocale("zh-TW");
    expect(pAliveSentences(RECENT, t)).toEqual([
      "曾在 5 個不同的日子購買，最近一次購買：3 週前；極可能仍是活躍客戶。",
    ]);
    expect(pAliveSentences(LAPSED_MONTHLY, t)).toEqual([
      "原本大約每月購買一次，已經 14 個月沒有購買：很可能已經流失。",
    ]);
    expect(
      pAliveSentences(
        {
          kind: "lapsing",
          verdict: "unsure",
          purchaseDays: 3,
          gap: { unit: "month", count: 7 },
          every: { unit: "week", count: 3 },
        },
        t,
      ),
    ).toEqual(["原本大約每 3 週購買一次，已經 7 個月沒有購買：可能已經流失。"]);
  });
});
