import type { HumanDuration } from "../../format/duration";
import type { Translate } from "../../i18n/useTranslation";
import type { PAliveExplanation } from "./pAliveExplanation";

/**
 * Words an explanation of P(alive) (see explainPAlive) in the UI language.
 *
 * @param explanation - which sentence, with its parts.
 * @param t - the translation function.
 * @returns one or two sentences.
 * @example
 * pAliveSentences({ kind: "active", verdict: "veryLikely", purchaseDays: 5,
 *   since: { unit: "week", count: 3 } }, t)
 * // ["Bought on 5 different days, the last 3 weeks ago: very likely still a customer."]
 */
export function pAliveSentences(explanation: PAliveExplanation, t: Translate): string[] {
  const duration = (d: HumanDuration) => t(`duration.${d.unit}`, { n: d.count }, d.count);
  const every = (d: HumanDuration) => t(`every.${d.unit}`, { n: d.count }, d.count);
  const since = (d: HumanDuration | null) => {
    if (d === null) return null;
    if (d.count === 0) return t("value.pAlive.sameDay");
    return t("value.pAlive.since", { duration: duration(d) });
  };

  switch (explanation.kind) {
    case "noPurchases":
      return [t("value.pAlive.noPurchases")];
    case "notEstimated":
      return [t("value.pAlive.notEstimated")];
    case "oneTime": {
      const when = since(explanation.since);
      return [
        when === null
          ? t("value.pAlive.oneTimeUndated")
          : t("value.pAlive.oneTime", { since: when }),
        t("value.pAlive.oneTimeCaveat"),
      ];
    }
    case "active":
    case "lapsing": {
      const verdict = t(`value.pAlive.verdicts.${explanation.verdict}`);
      const count = explanation.purchaseDays;
      if (explanation.kind === "lapsing" && explanation.gap && explanation.gap.count > 0) {
        if (explanation.every) {
          return [
            t("value.pAlive.lapsing", {
              gap: duration(explanation.gap),
              every: every(explanation.every),
              verdict,
            }),
          ];
        }
      }
      const last = since(explanation.kind === "active" ? explanation.since : explanation.gap);
      return [
        last === null
          ? t("value.pAlive.short", { count, verdict })
          : t("value.pAlive.active", { count, since: last, verdict }),
      ];
    }
  }
}
