import {
  pointsExpiringSoon,
  pointsLiability,
  programmeRates,
  type LedgerEntry,
  type LoyaltySettings,
  type Lot,
  type Rate,
} from "@valuetier/domain";
import type { DataSource } from "typeorm";
import { toSafeInteger } from "../../db/column-types";
import { REVERSE_REDEMPTION } from "./ledger-store";
import { driverOf } from "../../db/data-source";
import { fromSqlDateTime, toSqlDateTime } from "../../db/sql-values";

/** Points moved per tier and month (the tier the customer was in when the entry was made). */
export interface TierMonthPoints {
  tierKey: string | null;
  /** YYYY-MM (UTC). */
  month: string;
  earned: number;
  redeemed: number;
  expired: number;
}

/** A tier's points over the period next to its customers' value in the current scoring run. */
export interface TierEconomics {
  tierKey: string | null;
  customers: number;
  /** Σ CLV of the tier's customers (current run), minor units. */
  clvMinor: number;
  earned: number;
  redeemed: number;
  expired: number;
  /** Cost of the points the tier earned in the period, minor units (exact decimal). */
  earnedCostMinor: string;
}

/** The programme's cost next to the value it is meant to create. */
export interface LoyaltyEconomicsReport {
  asOf: Date;
  from: Date;
  until: Date;
  costPerPointMinor: string;
  /** Spendable points of every customer (a customer owing points counts 0). */
  availablePoints: number;
  pendingPoints: number;
  /** Points customers owe after clawbacks (allow_negative). */
  owedPoints: number;
  /** availablePoints × cost per point, exact, minor units. */
  liabilityMinor: string;
  /** Open points expiring within 30, 60 and 90 days of asOf. */
  expiring: { days: number; points: number }[];
  earned: number;
  redeemed: number;
  expired: number;
  breakage: Rate | null;
  redemptionRate: Rate | null;
  byTierMonth: TierMonthPoints[];
  tiers: TierEconomics[];
}

const int = (v: unknown): number => toSafeInteger(v as string | number | null) ?? 0;

/**
 * The programme's economics from the ledger, aggregated in SQL and computed with the domain's
 * rules: liability (pointsLiability), points expiring in 30/60/90 days (pointsExpiringSoon) and
 * breakage and redemption rate over `[from, until)` (programmeRates), with earned, redeemed and
 * expired points per tier and month, and per tier next to the tier's CLV in the current run.
 * The domain functions take lots and entries; they get one aggregated lot per expiry instant
 * and one aggregated entry per type, which gives the same sums without reading every row.
 */
export async function loyaltyEconomics(
  dataSource: DataSource,
  settings: LoyaltySettings,
  period: { asOf: Date; from: Date; until: Date },
): Promise<LoyaltyEconomicsReport> {
  const { asOf, from, until } = period;
  const [totals] = (await dataSource.query(
    "SELECT COALESCE(SUM(CASE WHEN available > 0 THEN available ELSE 0 END), 0) AS available, " +
      "COALESCE(SUM(pending), 0) AS pending, " +
      "COALESCE(SUM(CASE WHEN available < 0 THEN -available ELSE 0 END), 0) AS owed FROM loyalty_accounts",
  )) as Record<string, unknown>[];
  const availablePoints = int(totals?.available);

  const horizon = new Date(asOf.getTime() + 90 * 86_400_000);
  const expiringRows: Record<string, unknown>[] = await dataSource.query(
    "SELECT expires_at, SUM(remaining) AS points FROM loyalty_lots WHERE is_open = 1 AND remaining > 0 " +
      "AND kind <> 'debt' AND expires_at IS NOT NULL AND expires_at <= ? GROUP BY expires_at",
    [toSqlDateTime(horizon)],
  );
  const lots: Lot[] = expiringRows.map((row, i) => {
    const at = fromSqlDateTime(row.expires_at as Date | string)!.getTime();
    return {
      id: `L${i + 1}`,
      kind: "earn",
      source: "aggregate",
      points: int(row.points),
      remaining: int(row.points),
      earnedAt: at,
      pendingUntil: at,
      expiresAt: at,
      available: true,
    };
  });

  const range = [toSqlDateTime(from), toSqlDateTime(until)];
  const month =
    driverOf(dataSource) === "sqlite" ? "strftime('%Y-%m', at)" : "DATE_FORMAT(at, '%Y-%m')";
  // A reversed redemption (an adjust entry giving the points back) counts against redemptions in
  // the month it was reversed, as it does against the customer's own redeemed total.
  const kind = `CASE WHEN type = 'adjust' THEN 'redeem' ELSE type END`;
  const grouped: Record<string, unknown>[] = await dataSource.query(
    `SELECT tier_key, ${month} AS month, ${kind} AS type, SUM(points) AS points FROM loyalty_entries ` +
      "WHERE at >= ? AND at < ? AND (type IN ('earn', 'redeem', 'expire') " +
      "OR (type = 'adjust' AND operation = ?)) " +
      `GROUP BY tier_key, ${month}, ${kind} ORDER BY month, tier_key`,
    [...range, REVERSE_REDEMPTION],
  );
  const byTypeTotals = new Map<string, number>();
  const byTierMonth = new Map<string, TierMonthPoints>();
  const byTier = new Map<string | null, { earned: number; redeemed: number; expired: number }>();
  for (const row of grouped) {
    const type = String(row.type);
    const points = int(row.points);
    byTypeTotals.set(type, (byTypeTotals.get(type) ?? 0) + points);
    const tierKey = (row.tier_key as string | null) ?? null;
    const key = `${tierKey ?? ""}|${String(row.month)}`;
    const cell = byTierMonth.get(key) ?? {
      tierKey,
      month: String(row.month),
      earned: 0,
      redeemed: 0,
      expired: 0,
    };
    const tier = byTier.get(tierKey) ?? { earned: 0, redeemed: 0, expired: 0 };
    if (type === "earn") {
      cell.earned += points;
      tier.earned += points;
    } else if (type === "redeem") {
      cell.redeemed -= points;
      tier.redeemed -= points;
    } else {
      cell.expired -= points;
      tier.expired -= points;
    }
    byTierMonth.set(key, cell);
    byTier.set(tierKey, tier);
  }
  const entries: LedgerEntry[] = [...byTypeTotals.entries()].map(([type, points], i) => ({
    id: i + 1,
    type: type as LedgerEntry["type"],
    at: from.getTime(),
    points,
    availableChange: points,
    pendingChange: 0,
    lots: [],
    reason: "aggregate",
    source: "aggregate",
  }));
  const rates = programmeRates(entries, from.getTime(), until.getTime());

  const clvRows: Record<string, unknown>[] = await dataSource.query(
    "SELECT tier_key, COUNT(*) AS n, COALESCE(SUM(clv_minor), 0) AS clv FROM customer_values " +
      "WHERE run_id = (SELECT MAX(id) FROM scoring_runs WHERE status = 'succeeded') GROUP BY tier_key",
  );
  const tierKeys = new Set<string | null>([
    ...clvRows.map((r) => (r.tier_key as string | null) ?? null),
    ...byTier.keys(),
  ]);
  const clvByTier = new Map(clvRows.map((r) => [(r.tier_key as string | null) ?? null, r]));
  const tiers: TierEconomics[] = [...tierKeys].map((tierKey) => {
    const points = byTier.get(tierKey) ?? { earned: 0, redeemed: 0, expired: 0 };
    const clv = clvByTier.get(tierKey);
    return {
      tierKey,
      customers: int(clv?.n),
      clvMinor: int(clv?.clv),
      ...points,
      earnedCostMinor: pointsLiability(points.earned, settings.costPerPointMinor),
    };
  });

  return {
    asOf,
    from,
    until,
    costPerPointMinor: settings.costPerPointMinor,
    availablePoints,
    pendingPoints: int(totals?.pending),
    owedPoints: int(totals?.owed),
    liabilityMinor: pointsLiability(availablePoints, settings.costPerPointMinor),
    expiring: pointsExpiringSoon(lots, asOf.getTime()),
    earned: rates.earned,
    redeemed: rates.redeemed,
    expired: rates.expired,
    breakage: rates.breakage,
    redemptionRate: rates.redemptionRate,
    byTierMonth: [...byTierMonth.values()],
    tiers,
  };
}
