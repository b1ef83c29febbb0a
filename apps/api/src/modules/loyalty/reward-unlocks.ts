import type { EntityManager } from "typeorm";

/**
 * Rewards that campaigns unlock for a customer. The loyalty module asks, inside the redemption
 * transaction, whether a running campaign unlocks a reward for the customer (a treated member of
 * a campaign whose offer names the reward); an unlocked reward may be redeemed whatever the
 * customer's tier, and a campaign-only reward only when unlocked. The campaigns module provides
 * the implementation; with no campaigns nothing is unlocked.
 */
export interface RewardUnlocks {
  /**
   * The ids of the rewards unlocked for the customer at `at`, among `rewardIds` (all of them
   * when omitted). Control members, the global holdout and non-members get none.
   */
  unlockedFor(
    manager: EntityManager,
    customerId: number,
    at: Date,
    rewardIds?: readonly number[],
  ): Promise<Set<number>>;
}

/** No campaign unlocks anything. */
export const noRewardUnlocks: RewardUnlocks = {
  unlockedFor: async () => new Set(),
};
