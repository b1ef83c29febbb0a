import type { DataSource } from "typeorm";
import { toSafeInteger } from "../../db/column-types";
import { REVERSE_REDEMPTION } from "./ledger-store";

/** One cached figure of an account that differs from what its ledger and lots say. */
export interface AccountDrift {
  customerId: number;
  field:
    | "balance"
    | "available"
    | "pending"
    | "lifetime_earned"
    | "lifetime_redeemed"
    | "lifetime_expired"
    | "lots_vs_entries";
  cached: number;
  computed: number;
  /** cached − computed. */
  difference: number;
}

/** A lot whose open points differ from the sum of the changes recorded for it. */
export interface LotDrift {
  customerId: number;
  lotNo: number;
  remaining: number;
  changes: number;
}

/** An entry whose points differ from the sum of its lot changes. */
export interface EntryDrift {
  customerId: number;
  seq: number;
  points: number;
  changes: number;
}

/** What a reconciliation found; it changes nothing. */
export interface ReconcileReport {
  accounts: number;
  /** Accounts with at least one difference. */
  accountsWithDrift: number;
  drift: AccountDrift[];
  lotDrift: LotDrift[];
  entryDrift: EntryDrift[];
  /** True when a list was cut at `maxItems`. */
  truncated: boolean;
}

const int = (v: unknown): number => toSafeInteger(v as string | number | null) ?? 0;

/**
 * Recomputes every account from its ledger and lots and reports each difference: the cached
 * balance, available, pending and lifetime totals against Σ entries and Σ lots, each lot's open
 * points against Σ of the changes recorded for it, and each entry's points against Σ of its lot
 * changes. It fixes nothing: a difference means something wrote outside the ledger (or a bug),
 * and someone should look before any figure is changed. Accounts are read in ranges of ids, a
 * few grouped queries per range.
 *
 * @param maxItems most items kept per list (default 1,000); the counts cover everything.
 * @param onProgress told after each range (accounts done, total).
 */
export async function reconcileLoyalty(
  dataSource: DataSource,
  options: { maxItems?: number; onProgress?: (done: number, total: number) => Promise<void> } = {},
): Promise<ReconcileReport> {
  const maxItems = options.maxItems ?? 1000;
  const report: ReconcileReport = {
    accounts: 0,
    accountsWithDrift: 0,
    drift: [],
    lotDrift: [],
    entryDrift: [],
    truncated: false,
  };
  const push = <T>(list: T[], item: T) => {
    if (list.length < maxItems) list.push(item);
    else report.truncated = true;
  };
  const [bounds] = (await dataSource.query(
    "SELECT COUNT(*) AS n, MIN(customer_id) AS lo, MAX(customer_id) AS hi FROM loyalty_accounts",
  )) as { n: unknown; lo: unknown; hi: unknown }[];
  const total = int(bounds?.n);
  const lo = bounds?.lo;
  const hi = bounds?.hi;
  if (total === 0) return report;
  const step = 2000;
  for (let from = int(lo); from <= int(hi); from += step) {
    const to = from + step - 1;
    const range = [from, to];
    const accounts: Record<string, unknown>[] = await dataSource.query(
      "SELECT customer_id, balance, available, pending, lifetime_earned, lifetime_redeemed, lifetime_expired " +
        "FROM loyalty_accounts WHERE customer_id BETWEEN ? AND ? ORDER BY customer_id",
      range,
    );
    if (accounts.length === 0) continue;
    const entrySums = new Map<number, Record<string, unknown>>();
    for (const row of (await dataSource.query(
      "SELECT account_id, SUM(points) AS points, " +
        "SUM(CASE WHEN type = 'earn' AND points > 0 THEN points ELSE 0 END) AS earned, " +
        "SUM(CASE WHEN type = 'redeem' THEN -points ELSE 0 END) AS redeemed, " +
        "SUM(CASE WHEN operation = ? THEN points ELSE 0 END) AS given_back, " +
        "SUM(CASE WHEN type = 'expire' THEN -points ELSE 0 END) AS expired " +
        "FROM loyalty_entries WHERE account_id BETWEEN ? AND ? GROUP BY account_id",
      [REVERSE_REDEMPTION, ...range],
    )) as Record<string, unknown>[]) {
      entrySums.set(int(row.account_id), row);
    }
    const lotSums = new Map<number, Record<string, unknown>>();
    for (const row of (await dataSource.query(
      "SELECT account_id, SUM(remaining) AS total, " +
        "SUM(CASE WHEN available = 1 THEN remaining ELSE 0 END) AS available, " +
        "SUM(CASE WHEN available = 0 THEN remaining ELSE 0 END) AS pending " +
        "FROM loyalty_lots WHERE account_id BETWEEN ? AND ? GROUP BY account_id",
      range,
    )) as Record<string, unknown>[]) {
      lotSums.set(int(row.account_id), row);
    }
    for (const account of accounts) {
      const id = int(account.customer_id);
      const e = entrySums.get(id) ?? {};
      const l = lotSums.get(id) ?? {};
      const checks: [AccountDrift["field"], number, number][] = [
        ["balance", int(account.balance), int(e.points)],
        ["lots_vs_entries", int(l.total), int(e.points)],
        ["available", int(account.available), int(l.available)],
        ["pending", int(account.pending), int(l.pending)],
        ["lifetime_earned", int(account.lifetime_earned), int(e.earned)],
        ["lifetime_redeemed", int(account.lifetime_redeemed), int(e.redeemed) - int(e.given_back)],
        ["lifetime_expired", int(account.lifetime_expired), int(e.expired)],
      ];
      let drifted = false;
      for (const [field, cached, computed] of checks) {
        if (cached === computed) continue;
        drifted = true;
        push(report.drift, {
          customerId: id,
          field,
          cached,
          computed,
          difference: cached - computed,
        });
      }
      if (drifted) report.accountsWithDrift++;
    }
    for (const row of (await dataSource.query(
      "SELECT l.account_id, l.lot_no, l.remaining, COALESCE(c.points, 0) AS changes FROM loyalty_lots l " +
        "LEFT JOIN (SELECT account_id, lot_no, SUM(points) AS points FROM loyalty_lot_changes " +
        "WHERE account_id BETWEEN ? AND ? GROUP BY account_id, lot_no) c " +
        "ON c.account_id = l.account_id AND c.lot_no = l.lot_no " +
        "WHERE l.account_id BETWEEN ? AND ? AND l.remaining <> COALESCE(c.points, 0)",
      [...range, ...range],
    )) as Record<string, unknown>[]) {
      push(report.lotDrift, {
        customerId: int(row.account_id),
        lotNo: int(row.lot_no),
        remaining: int(row.remaining),
        changes: int(row.changes),
      });
    }
    for (const row of (await dataSource.query(
      "SELECT e.account_id, e.seq, e.points, COALESCE(c.points, 0) AS changes FROM loyalty_entries e " +
        "LEFT JOIN (SELECT account_id, entry_seq, SUM(points) AS points FROM loyalty_lot_changes " +
        "WHERE account_id BETWEEN ? AND ? GROUP BY account_id, entry_seq) c " +
        "ON c.account_id = e.account_id AND c.entry_seq = e.seq " +
        "WHERE e.account_id BETWEEN ? AND ? AND e.points <> COALESCE(c.points, 0)",
      [...range, ...range],
    )) as Record<string, unknown>[]) {
      push(report.entryDrift, {
        customerId: int(row.account_id),
        seq: int(row.seq),
        points: int(row.points),
        changes: int(row.changes),
      });
    }
    report.accounts += accounts.length;
    await options.onProgress?.(report.accounts, total);
  }
  return report;
}
