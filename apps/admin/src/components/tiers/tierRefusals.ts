import type { UserErrorLike } from "../../composables/useMutationAction";
import type { Translate } from "../../i18n/useTranslation";

/** Codes the tier mutations and the policy check answer with (tier.service, domain tier-policy). */
export const TIER_CODES = [
  "TIERS_EMPTY",
  "TIER_KEY_INVALID",
  "TIER_KEY_DUPLICATE",
  "KEY_TAKEN",
  "POLICY_KIND_UNKNOWN",
  "POLICY_TIER_UNKNOWN",
  "POLICY_TIER_ORDER",
  "PERCENT_OUT_OF_RANGE",
  "PERCENT_TOTAL_OVER_100",
  "THRESHOLD_NOT_WHOLE",
  "THRESHOLDS_NOT_DESCENDING",
  "WINDOW_OUT_OF_RANGE",
  "INVALID_AMOUNT",
  "INVALID_POINTS",
  "GRACE_OUT_OF_RANGE",
  "TIER_IN_POLICY",
  "NOT_A_PERMUTATION",
  "NOT_FOUND",
  "REQUIRED",
  "TOO_LONG",
  "INVALID_CHARACTERS",
] as const;

type TierCode = (typeof TIER_CODES)[number];
const isTierCode = (code: string): code is TierCode =>
  (TIER_CODES as readonly string[]).includes(code);

/**
 * A refusal in the user's language, keeping the field it names; a code the admin does not know
 * keeps the server's English message.
 */
export function tierRefusal(t: Translate, error: UserErrorLike): UserErrorLike {
  return isTierCode(error.code) ? { ...error, message: t(`tiersPage.codes.${error.code}`) } : error;
}
