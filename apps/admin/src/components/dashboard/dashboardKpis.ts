import type { DashboardQuery } from "../../gql/graphql";
import type { Translate } from "../../i18n/useTranslation";
import type { useFormatters } from "../../composables/useFormatters";

type Kpis = DashboardQuery["dashboard"];
type Formatters = ReturnType<typeof useFormatters>;

/** The dashboard's figures; each has a label at `dashboard.kpis.<key>`. */
export type KpiKey =
  | "customers"
  | "revenue"
  | "averageOrderValue"
  | "repeatPurchaseRate"
  | "averageCac"
  | "activeCustomers"
  | "totalClv"
  | "averageClv"
  | "clvToCac";

/** One card on the dashboard. */
export interface KpiCardModel {
  key: KpiKey;
  label: string;
  /** The figure, or a short status such as "Not scored yet". */
  value: string;
  note?: string;
  /** True when `value` is a status rather than a figure. */
  pending: boolean;
}

/**
 * The dashboard's cards from `dashboard`: customer and purchase figures, which exist as soon
 * as there are customers, and value figures, which exist only after the first scoring run
 * (before it they say "Not scored yet" rather than showing a zero).
 *
 * @param kpis - the `dashboard` query's answer.
 * @param t - the translation function.
 * @param format - locale-bound formatters.
 * @returns the cards of both groups, in display order.
 */
export function dashboardKpis(
  kpis: Kpis,
  t: Translate,
  format: Formatters,
): { purchases: KpiCardModel[]; value: KpiCardModel[]; scored: boolean } {
  const scored = kpis.scoredAt !== null && kpis.scoredAt !== undefined;
  const figure = (key: KpiKey, value: string, note?: string): KpiCardModel => ({
    key,
    label: t(`dashboard.kpis.${key}`),
    value,
    note,
    pending: false,
  });
  const status = (key: KpiKey, value: string, note?: string): KpiCardModel => ({
    ...figure(key, value, note),
    pending: true,
  });

  const purchases: KpiCardModel[] = [
    figure(
      "customers",
      format.count(kpis.customers),
      t("dashboard.kpis.customersNote", { n: format.count(kpis.buyers) }),
    ),
    figure("revenue", format.money(kpis.revenue), t("dashboard.kpis.revenueNote")),
    kpis.averageOrderValue
      ? figure(
          "averageOrderValue",
          format.money(kpis.averageOrderValue),
          t("dashboard.kpis.averageOrderValueNote"),
        )
      : status("averageOrderValue", t("dashboard.kpis.noOrders")),
    kpis.repeatPurchaseRate !== null && kpis.repeatPurchaseRate !== undefined
      ? figure(
          "repeatPurchaseRate",
          format.percent(kpis.repeatPurchaseRate),
          t("dashboard.kpis.repeatPurchaseRateNote"),
        )
      : status("repeatPurchaseRate", t("dashboard.kpis.noOrders")),
    kpis.averageCac
      ? figure("averageCac", format.money(kpis.averageCac), t("dashboard.kpis.averageCacNote"))
      : status("averageCac", t("dashboard.kpis.noCac")),
  ];

  const notScored = t("value.notScored");
  const value: KpiCardModel[] = !scored
    ? [
        status("activeCustomers", notScored),
        status("totalClv", notScored),
        status("averageClv", notScored),
        status("clvToCac", notScored),
      ]
    : [
        kpis.activeCustomers === null || kpis.activeCustomers === undefined
          ? status("activeCustomers", notScored)
          : figure(
              "activeCustomers",
              format.count(kpis.activeCustomers),
              t("dashboard.kpis.activeCustomersNote", {
                share: format.percent(
                  kpis.customers > 0 ? kpis.activeCustomers / kpis.customers : Number.NaN,
                ),
              }),
            ),
        kpis.totalClv
          ? figure("totalClv", format.money(kpis.totalClv), t("dashboard.kpis.totalClvNote"))
          : status("totalClv", notScored),
        kpis.averageClv
          ? figure("averageClv", format.money(kpis.averageClv), t("dashboard.kpis.averageClvNote"))
          : status("averageClv", notScored),
        kpis.clvToCac !== null && kpis.clvToCac !== undefined
          ? figure(
              "clvToCac",
              t("dashboard.kpis.ratio", { value: format.decimal(kpis.clvToCac, 1) }),
              t("dashboard.kpis.clvToCacNote"),
            )
          : status("clvToCac", t("dashboard.kpis.noRatio")),
      ];

  return { purchases, value, scored };
}
