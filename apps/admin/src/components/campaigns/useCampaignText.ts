import type { CampaignStatus } from "../../gql/graphql";
import { useFormatters } from "../../composables/useFormatters";
import { useTranslation } from "../../i18n/useTranslation";
import { campaignVerdict, type VerdictInput } from "./campaignVerdict";
import { formatInZone } from "./zonedTime";
import { currentLocale } from "../../i18n";

export interface AudienceLike {
  tierKeys: readonly string[];
  segmentId?: string | null;
  query?: string | null;
}

/** The words the campaign pages share: audience, schedule, status and the verdict. */
export function useCampaignText() {
  const { t } = useTranslation();
  const format = useFormatters();

  /** A money amount given as a number of currency units (statistics come as floats). */
  const money = (value: number, currency: string) =>
    format.money({ amount: (Math.round(value * 100) / 100).toFixed(2), currency });

  function audience(
    a: AudienceLike,
    names: { tiers: Record<string, string>; segments: Record<string, string> },
  ): string {
    const parts: string[] = [];
    if (a.tierKeys.length > 0) {
      parts.push(
        t("campaigns.audience.tiers", {
          list: a.tierKeys.map((key) => names.tiers[key] ?? key).join(", "),
        }),
      );
    }
    if (a.segmentId) {
      parts.push(
        t("campaigns.audience.segment", { name: names.segments[a.segmentId] ?? a.segmentId }),
      );
    }
    if (a.query) parts.push(t("campaigns.audience.query", { query: a.query }));
    return parts.length > 0 ? parts.join(" · ") : t("campaigns.audience.everyone");
  }

  function schedule(c: { startsAt?: string | null; endsAt?: string | null; timeZone: string }) {
    const at = (iso: string) => formatInZone(iso, c.timeZone, currentLocale.value);
    const start = c.startsAt ? at(c.startsAt) : t("campaigns.detail.noStart");
    const end = c.endsAt ? at(c.endsAt) : t("campaigns.detail.noEnd");
    return `${start} → ${end} (${c.timeZone})`;
  }

  const status = (s: CampaignStatus) => t(`campaigns.statuses.${s}`);

  function verdict(r: VerdictInput | null | undefined, currency: string): string {
    const v = campaignVerdict(r);
    if (v.kind === "tooFew") return t("campaigns.results.verdict.tooFew");
    return t(`campaigns.results.verdict.${v.kind}`, {
      amount: money(v.amount, currency),
      direction: t(`campaigns.results.verdict.${v.direction}`),
      level: format.decimal(v.level, 1),
      low: money(v.low, currency),
      high: money(v.high, currency),
    });
  }

  const verdictShort = (r: VerdictInput | null | undefined) =>
    t(`campaigns.verdictShort.${campaignVerdict(r).kind}`);

  return { t, format, money, audience, schedule, status, verdict, verdictShort };
}
