/** One cell of loyaltyEconomics.byTierMonth. */
export interface TierMonthPoints {
  month: string;
  tierKey?: string | null;
  earned: number;
  redeemed: number;
  expired: number;
}

/** A bar series of the chart: one tier's earned or redeemed points, one value per month. */
export interface EconomicsSeries {
  tierKey: string | null;
  kind: "earned" | "redeemed";
  data: number[];
}

/**
 * The months of the period (every month from the first to the last with points, none skipped,
 * so an empty month shows as a gap and not as a missing column) and, per tier, its earned and
 * redeemed points per month. Tiers come in the order given (best first), then any other tier
 * by key, then the points made without a tier.
 *
 * @param cells - byTierMonth as answered.
 * @param tierOrder - tier keys, best first.
 * @returns months (YYYY-MM) and two series per tier with points.
 * @example
 * economicsSeries([{ month: "2026-01", tierKey: "high", earned: 5, redeemed: 0, expired: 0 },
 *   { month: "2026-03", tierKey: "high", earned: 2, redeemed: 1, expired: 0 }], ["high"])
 * // { months: ["2026-01", "2026-02", "2026-03"], series: [
 * //   { tierKey: "high", kind: "earned", data: [5, 0, 2] },
 * //   { tierKey: "high", kind: "redeemed", data: [0, 0, 1] }] }
 */
export function economicsSeries(
  cells: readonly TierMonthPoints[],
  tierOrder: readonly string[],
): { months: string[]; series: EconomicsSeries[] } {
  if (cells.length === 0) return { months: [], series: [] };
  const sorted = cells.map((c) => c.month).sort();
  const months: string[] = [];
  let [year, month] = sorted[0]!.split("-").map(Number) as [number, number];
  const last = sorted[sorted.length - 1]!;
  for (;;) {
    const key = `${year}-${String(month).padStart(2, "0")}`;
    months.push(key);
    if (key >= last) break;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  const index = new Map(months.map((m, i) => [m, i]));
  const present = new Set(cells.map((c) => c.tierKey ?? null));
  const tiers: (string | null)[] = [
    ...tierOrder.filter((key) => present.has(key)),
    ...[...present].filter((key): key is string => key !== null && !tierOrder.includes(key)).sort(),
    ...(present.has(null) ? [null] : []),
  ];
  const series: EconomicsSeries[] = [];
  for (const tierKey of tiers) {
    const earned = months.map(() => 0);
    const redeemed = months.map(() => 0);
    for (const cell of cells) {
      if ((cell.tierKey ?? null) !== tierKey) continue;
      const i = index.get(cell.month)!;
      earned[i]! += cell.earned;
      redeemed[i]! += cell.redeemed;
    }
    series.push(
      { tierKey, kind: "earned", data: earned },
      { tierKey, kind: "redeemed", data: redeemed },
    );
  }
  return { months, series };
}

/**
 * A ratio as a share of 1 for display, or null when the denominator is 0.
 *
 * @param part - e.g. the tier's cost of points, in minor units.
 * @param whole - e.g. the tier's CLV, in minor units.
 * @returns part ÷ whole, or null.
 */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/**
 * A decimal amount of minor units as currency units, exactly (string shift, no float).
 *
 * @param minor - e.g. "6172.5" cents.
 * @param decimals - the currency's decimals (2 for USD, 0 for JPY).
 * @returns e.g. "61.725".
 * @example
 * minorToUnits("6172.5", 2) // "61.725"
 */
export function minorToUnits(minor: string, decimals: number): string {
  const negative = minor.startsWith("-");
  const [whole = "0", fraction = ""] = minor.replace(/^-/, "").split(".");
  const digits = whole.padStart(decimals + 1, "0");
  const units = digits.slice(0, digits.length - decimals).replace(/^0+(?=\d)/, "");
  const rest = `${digits.slice(digits.length - decimals)}${fraction}`.replace(/0+$/, "");
  return `${negative ? "-" : ""}${units}${rest ? `.${rest}` : ""}`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The economics period chosen in the URL (`?from=YYYY-MM-DD&until=YYYY-MM-DD`, both days
 * included) as the query's arguments: `from` at the start of its UTC day, `until` at the start
 * of the day after (the API's end is exclusive). A missing or malformed day is left to the API's
 * default (the twelve months up to now).
 *
 * @param from - the first day, e.g. "2026-01-01".
 * @param until - the last day, e.g. "2026-03-31".
 * @returns the query's variables, null where the API decides.
 * @example
 * economicsPeriod("2026-01-01", "2026-03-31")
 * // { from: "2026-01-01T00:00:00.000Z", until: "2026-04-01T00:00:00.000Z" }
 */
export function economicsPeriod(
  from: unknown,
  until: unknown,
): { from: string | null; until: string | null } {
  const day = (value: unknown, plus: number): string | null => {
    if (typeof value !== "string" || !DAY.test(value)) return null;
    const ms = Date.parse(`${value}T00:00:00.000Z`);
    return Number.isNaN(ms) ? null : new Date(ms + plus * 86_400_000).toISOString();
  };
  return { from: day(from, 0), until: day(until, 1) };
}
