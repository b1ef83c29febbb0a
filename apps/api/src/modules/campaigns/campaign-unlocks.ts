import type { EntityManager } from "typeorm";
import { toSqlDateTime } from "../../db/sql-values";
import type { RewardUnlocks } from "../loyalty/reward-unlocks";
import type { CampaignOffer } from "./campaign-input";

/**
 * The rewards running campaigns unlock (the loyalty seam {@link RewardUnlocks}): a campaign whose
 * offer names a reward unlocks it for its treated members while it runs (launched, not past its
 * end, not paused or ended, offers not stopped by an exhausted budget). Control members, the
 * global holdout (never members) and non-members get nothing. One indexed read: the customer's
 * treated memberships joined to the running campaigns.
 */
export class CampaignRewardUnlocks implements RewardUnlocks {
  async unlockedFor(
    manager: EntityManager,
    customerId: number,
    at: Date,
    rewardIds?: readonly number[],
  ): Promise<Set<number>> {
    const when = toSqlDateTime(at);
    const rows = (await manager.query(
      "SELECT c.offer_json AS offer FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id " +
        "WHERE m.customer_id = ? AND m.grp = 'T' AND c.status = 'running' AND c.budget_exhausted_at IS NULL " +
        "AND c.launched_at IS NOT NULL AND c.launched_at <= ? AND (c.ends_at IS NULL OR c.ends_at > ?)",
      [customerId, when, when],
    )) as { offer: string }[];
    const wanted = rewardIds ? new Set(rewardIds) : null;
    const unlocked = new Set<number>();
    for (const row of rows) {
      const rewardId = (JSON.parse(row.offer) as CampaignOffer).rewardId;
      if (rewardId === null) continue;
      const id = Number(rewardId);
      if (wanted === null || wanted.has(id)) unlocked.add(id);
    }
    return unlocked;
  }
}
