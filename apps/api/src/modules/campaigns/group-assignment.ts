import { assignGroup, isInGlobalHoldout } from "@valuetier/domain";

/** Where a customer lands in a campaign. */
export type Placement = "treatment" | "control" | "holdout";

/** The global holdout: a share of all customers kept out of every campaign, and its salt. */
export interface HoldoutSetting {
  /** Basis points of 10,000 (0: no holdout). */
  shareBp: number;
  salt: string;
}

/** Places customers in campaigns; one per launch or earning batch (the holdout read once). */
export interface GroupAssigner {
  place(campaignKey: string, customerId: number, controlShareBp: number): Placement;
}

/**
 * The one assignment: the global holdout first (the same customers for every campaign), then
 * treatment or control by the domain's stable hash of (campaign key, customer id). The
 * customer's database id is the customer key, as DOMAIN.md states the hash.
 */
export function groupAssigner(holdout: HoldoutSetting): GroupAssigner {
  const holdoutShare = holdout.shareBp / 10_000;
  return {
    place(campaignKey, customerId, controlShareBp) {
      const customerKey = String(customerId);
      if (holdoutShare > 0 && isInGlobalHoldout(customerKey, holdoutShare, holdout.salt)) {
        return "holdout";
      }
      return assignGroup(campaignKey, customerKey, controlShareBp / 10_000);
    },
  };
}
