import { DAY_MS } from "./loyalty-calendar";
import type { LedgerEntryType, Lot, PointsLedger } from "./points-ledger";

/** A customer's points as the ledger has recorded them. */
export interface PointsBalances {
  /** Spendable points: open available lots less any negative balance (may be < 0). */
  available: number;
  /** Points in their return window. */
  pending: number;
  /** available + pending = Σ open lots = Σ ledger entries' points. */
  balance: number;
  /** Points credited by earn entries (orders and bonuses). */
  lifetimeEarned: number;
  redeemed: number;
  expired: number;
  reversed: number;
  adjustedIn: number;
  adjustedOut: number;
  /** Open points whose lot expires within `days` days of `now` (or already due). */
  expiringWithin: { days: number; points: number };
}

/**
 * The balances derived from a ledger. They read the recorded state: run `activate` and `expire`
 * at `now` first for figures that are current at `now`.
 *
 * @param state the ledger.
 * @param now the current instant, for the expiring figure.
 * @param expiringWithinDays the horizon of `expiringWithin` (default 30).
 * @returns the balances.
 * @example
 * balances(emptyLedger(), 0).balance; // 0
 */
export function balances(
  state: PointsLedger,
  now: number,
  expiringWithinDays = 30,
): PointsBalances {
  let available = 0;
  let pending = 0;
  let expiring = 0;
  const horizon = now + expiringWithinDays * DAY_MS;
  for (const lot of state.lots) {
    if (lot.available) available += lot.remaining;
    else pending += lot.remaining;
    if (lot.remaining > 0 && lot.expiresAt !== null && lot.expiresAt <= horizon)
      expiring += lot.remaining;
  }
  const totals: Record<LedgerEntryType, { in: number; out: number }> = {
    earn: { in: 0, out: 0 },
    activate: { in: 0, out: 0 },
    redeem: { in: 0, out: 0 },
    expire: { in: 0, out: 0 },
    reverse: { in: 0, out: 0 },
    adjust: { in: 0, out: 0 },
  };
  for (const e of state.entries) {
    if (e.points > 0) totals[e.type].in += e.points;
    else totals[e.type].out -= e.points;
  }
  return {
    available,
    pending,
    balance: available + pending,
    lifetimeEarned: totals.earn.in,
    redeemed: totals.redeem.out,
    expired: totals.expire.out,
    reversed: totals.reverse.out,
    adjustedIn: totals.adjust.in,
    adjustedOut: totals.adjust.out,
    expiringWithin: { days: expiringWithinDays, points: expiring },
  };
}

/** One open lot of the balance and the ledger lines that made its open points. */
export interface BalanceLine {
  lotId: string;
  kind: Lot["kind"];
  source: string;
  status: "pending" | "available" | "owed";
  earnedAt: number;
  expiresAt: number | null;
  remaining: number;
  /** Every entry that changed the lot; their points add up to `remaining`. */
  history: { entryId: number; type: LedgerEntryType; at: number; points: number }[];
}

/**
 * Where each point of the balance comes from: one line per open lot (the owed points of a
 * negative balance included), earliest expiry first, each with the entries that credited and
 * consumed it. The lines' `remaining` add up to the balance.
 *
 * @param state the ledger.
 * @returns the lines.
 * @example
 * explainBalance(state).map((l) => [l.source, l.remaining]); // [["order:1", 70], ...]
 */
export function explainBalance(state: PointsLedger): BalanceLine[] {
  const histories = new Map<string, BalanceLine["history"]>();
  for (const e of state.entries) {
    for (const change of e.lots) {
      const h = histories.get(change.lotId) ?? [];
      h.push({ entryId: e.id, type: e.type, at: e.at, points: change.points });
      histories.set(change.lotId, h);
    }
  }
  return state.lots
    .filter((l) => l.remaining !== 0)
    .sort(
      (a, b) => (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity) || a.earnedAt - b.earnedAt,
    )
    .map((lot) => ({
      lotId: lot.id,
      kind: lot.kind,
      source: lot.source,
      status: lot.kind === "debt" ? "owed" : lot.available ? "available" : "pending",
      earnedAt: lot.earnedAt,
      expiresAt: lot.expiresAt,
      remaining: lot.remaining,
      history: histories.get(lot.id) ?? [],
    }));
}
