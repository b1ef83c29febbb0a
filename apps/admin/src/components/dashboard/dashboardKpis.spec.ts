import { beforeEach, describe, expect, it } from "vitest";
import { useFormatters } from "../../composables/useFormatters";
import type { DashboardQuery } from "../../gql/graphql";
import { i18n, setLocale } from "../../i18n";
import type { Translate } from "../../i18n/useTranslation";
import { dashboardKpis } from "./dashboardKpis";

const t = i18n.global.t as unknown as Translate;
const format = useFormatters();
const usd = (amount: string) => ({ __typename: "Money" as const, amount, currency: "USD" });

const BEFORE_FIRST_RUN: DashboardQuery["dashboard"] = {
  __typename: "DashboardKpis",
  customers: 5000,
  buyers: 4200,
  activeCustomers: null,
  revenue: usd("812345.60"),
  averageOrderValue: usd("58.12"),
  repeatPurchaseRate: 0.4321,
  totalClv: null,
  averageClv: null,
  averageCac: usd("21.50"),
  clvToCac: null,
  scoredAt: null,
};

const SCORED: DashboardQuery["dashboard"] = {
  ...BEFORE_FIRST_RUN,
  activeCustomers: 2150,
  totalClv: usd("401234.56"),
  averageClv: usd("80.25"),
  clvToCac: 3.7325,
  scoredAt: "2024-06-30T10:00:00.000Z",
};

const byKey = (cards: { key: string; value: string; note?: string; pending: boolean }[]) =>
  Object.fromEntries(cards.map((card) => [card.key, card]));

beforeEach(() => setLocale("en"));

describe("dashboardKpis", () => {
  it("formats the customer and purchase figures", () => {
    const cards = byKey(dashboardKpis(SCORED, t, format).purchases);
    expect(cards["customers"]).toMatchObject({
      value: "5,000",
      note: "4,200 with a completed order",
    });
    expect(cards["revenue"]?.value).toBe("$812,345.60");
    expect(cards["averageOrderValue"]?.value).toBe("$58.12");
    expect(cards["repeatPurchaseRate"]?.value).toBe("43.2%");
    expect(cards["averageCac"]?.value).toBe("$21.50");
  });

  it("shows the value figures of the current run, the ratio and the active share", () => {
    const result = dashboardKpis(SCORED, t, format);
    expect(result.scored).toBe(true);
    const cards = byKey(result.value);
    expect(cards["activeCustomers"]).toMatchObject({
      value: "2,150",
      note: "P(alive) above 50%: 43% of customers",
      pending: false,
    });
    expect(cards["totalClv"]?.value).toBe("$401,234.56");
    expect(cards["averageClv"]?.value).toBe("$80.25");
    expect(cards["clvToCac"]?.value).toBe("3.7×");
  });

  it("says 'Not scored yet' for every value figure before the first run", () => {
    const result = dashboardKpis(BEFORE_FIRST_RUN, t, format);
    expect(result.scored).toBe(false);
    expect(result.value.map((card) => [card.key, card.value, card.pending])).toEqual([
      ["activeCustomers", "Not scored yet", true],
      ["totalClv", "Not scored yet", true],
      ["averageClv", "Not scored yet", true],
      ["clvToCac", "Not scored yet", true],
    ]);
  });

  it("explains a missing ratio, CAC or order value instead of showing zero", () => {
    const cards = dashboardKpis(
      {
        ...SCORED,
        averageCac: null,
        clvToCac: null,
        averageOrderValue: null,
        repeatPurchaseRate: null,
      },
      t,
      format,
    );
    const purchases = byKey(cards.purchases);
    expect(purchases["averageCac"]).toMatchObject({
      value: "No acquisition costs recorded",
      pending: true,
    });
    expect(purchases["averageOrderValue"]?.value).toBe("No completed orders yet");
    expect(purchases["repeatPurchaseRate"]?.value).toBe("No completed orders yet");
    expect(byKey(cards.value)["clvToCac"]).toMatchObject({
      value: "Needs CLV and a non-zero CAC",
      pending: true,
    });
  });

  it("follows the language", () => {
    setLocale("zh-TW");
    const cards = byKey(dashboardKpis(SCORED, t, format).value);
    expect(cards["clvToCac"]?.value).toBe("3.7 倍");
    expect(byKey(dashboardKpis(BEFORE_FIRST_RUN, t, format).value)["totalClv"]?.value).toBe(
      "尚未評分",
    );
  });
});
