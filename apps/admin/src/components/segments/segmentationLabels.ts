import type { Translate } from "../../i18n/useTranslation";
import { FIXED_VALUES } from "./segmentLanguage";

export const RFM_GROUPS = FIXED_VALUES.rfm_group ?? [];
export const LIFECYCLE_STAGES = FIXED_VALUES.lifecycle_stage ?? [];
export const CHURN_RISKS = FIXED_VALUES.churn_risk ?? [];

type Group = "CHAMPIONS" | "LOYAL" | "ACTIVE" | "NEEDS_ATTENTION" | "NEW" | "PROMISING";
type MoreGroup = "AT_RISK" | "PREVIOUSLY_LOYAL" | "ALMOST_LOST" | "DORMANT" | "PROSPECTS";
type Stage = "prospect" | "new" | "growing" | "mature" | "declining" | "churned";
type Risk = "low" | "medium" | "high";

const has = <T extends string>(list: readonly string[], value: string): value is T =>
  list.includes(value);

/** An RFM group in the user's language; a value the admin does not know is shown as it is. */
export function rfmGroupLabel(t: Translate, group: string | null | undefined): string {
  if (!group) return t("segmentation.none");
  return has<Group | MoreGroup>(RFM_GROUPS, group) ? t(`segmentation.groups.${group}`) : group;
}

export function lifecycleStageLabel(t: Translate, stage: string | null | undefined): string {
  if (!stage) return t("segmentation.none");
  return has<Stage>(LIFECYCLE_STAGES, stage) ? t(`segmentation.stages.${stage}`) : stage;
}

export function churnRiskLabel(t: Translate, risk: string | null | undefined): string {
  if (!risk) return t("segmentation.none");
  return has<Risk>(CHURN_RISKS, risk) ? t(`segmentation.risks.${risk}`) : risk;
}

/** The API's plain-words status ("at risk", "lapsed"), or "Active" for none. */
export function customerStatusLabel(t: Translate, status: string | null | undefined): string {
  if (status === "at risk") return t("segmentation.statuses.atRisk");
  if (status === "lapsed") return t("segmentation.statuses.lapsed");
  return status ?? t("segmentation.statusActive");
}
