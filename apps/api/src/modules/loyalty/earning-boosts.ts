import type { EntityManager } from "typeorm";

/**
 * What campaigns add to the points an order earns. The loyalty module asks for boosts inside the
 * transaction that records the order and earns its points, and reports back what they added in
 * the same transaction, so a campaign's budget is drawn exactly once per effect and only for
 * what commits. The campaigns module provides the implementation; with no campaigns nothing is
 * boosted.
 */
export interface EarningBoost {
  /** Where the boost comes from, e.g. `campaign:12`; also the ledger source of its bonus. */
  source: string;
  /** Multiplies the order's base points, an exact decimal string such as "2" or "1.5". */
  multiplier: string;
  /** Fixed bonus points for the order (0 for none). */
  bonusPoints: number;
}

/** One order whose points were raised by a boost, as committed in the earning transaction. */
export interface BoostEffect {
  source: string;
  customerId: string;
  orderId: string;
  /** Points the boost added over what the order earned without it (multiplier and bonus). */
  extraPoints: number;
}

export interface EarningBoosts {
  /**
   * The boosts that apply to each order, keyed by the order's id. Called inside the earning
   * transaction; an order with no boost is left out of the map.
   */
  forOrders(
    manager: EntityManager,
    orders: readonly { orderId: string; customerId: string; placedAt: Date }[],
  ): Promise<Map<string, EarningBoost[]>>;
  /**
   * Records what the boosts added, in the same transaction (budget drawn, effect logged once per
   * order and source). Returns the effects it accepted; an effect refused (budget spent) must not
   * be credited, and the caller earns those orders again without that boost.
   */
  recordEffects(manager: EntityManager, effects: readonly BoostEffect[]): Promise<BoostEffect[]>;
}

/** No campaign boosts anything. */
export const noEarningBoosts: EarningBoosts = {
  forOrders: async () => new Map(),
  recordEffects: async (_manager, effects) => [...effects],
};
