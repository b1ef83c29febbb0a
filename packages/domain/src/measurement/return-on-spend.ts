import { currencyExponent } from "../money";
import type { CampaignCost } from "./campaign-cost";
import type { MoneyInterval } from "./incremental-value";
import { MeasurementError } from "./measurement-error";
import { formatMinorAmount, parseMinorDecimal } from "./measurement-money";

/** Whether the campaign paid for itself, judged on the interval of its incremental margin. */
export type SpendVerdict = "PAYS_FOR_ITSELF" | "DOES_NOT_PAY" | "UNCLEAR";

export interface ReturnOnSpend {
  /** Incremental margin ÷ cost (1 = broke even); null when the cost is 0. */
  ratio: number | null;
  /** The ratio's interval (the margin's interval ÷ cost); null when the cost is 0 or the margin
   * has no interval. */
  ci: [number, number] | null;
  /** Incremental margin − cost, exact, as a decimal string in currency units. */
  net: string;
  /** PAYS_FOR_ITSELF when the whole margin interval is at or above the cost, DOES_NOT_PAY when
   * it is wholly below, else UNCLEAR. Judged on the always-valid interval when the margin has
   * one (so the verdict can be read at any look), else on the fixed-horizon one. With zero
   * cost, the comparison is with 0. */
  verdict: SpendVerdict;
  /** Why ratio is null: NO_COST (the campaign cost nothing, so a ratio is undefined). */
  reason: "NO_COST" | null;
}

/**
 * Return on spend = incremental margin ÷ campaign cost. A cost of 0 (a campaign that gave
 * nothing away, or whose rewards were never used) has no ratio: `ratio` and `ci` are null and
 * `reason` is NO_COST, while `net` and `verdict` still say whether the margin was positive.
 *
 * @param incrementalMargin the incremental margin and its interval.
 * @param cost the campaign's cost, in the same currency.
 * @returns ratio, interval, net and verdict.
 * @throws {MeasurementError} INVALID_PARAMETER when the currencies differ.
 * @example
 * returnOnSpend(margin, cost).ratio; // 2.4: each unit spent brought 2.4 of margin
 */
export function returnOnSpend(incrementalMargin: MoneyInterval, cost: CampaignCost): ReturnOnSpend {
  if (incrementalMargin.currency !== cost.currency) {
    throw new MeasurementError(
      "INVALID_PARAMETER",
      `the margin is in ${incrementalMargin.currency} and the cost in ${cost.currency}`,
      { field: "currency" },
    );
  }
  // Exact net: the margin in whole minor units minus the exact cost.
  const costExact = parseMinorDecimal(cost.totalMinorExact, "cost.totalMinorExact");
  const net = formatMinorAmount(
    { n: BigInt(incrementalMargin.estimateMinor) * costExact.d - costExact.n, d: costExact.d },
    currencyExponent(cost.currency),
  );
  const c = cost.totalMinor;
  const m = incrementalMargin.ciMinor;
  const judged = incrementalMargin.sequentialCiMinor ?? m;
  let verdict: SpendVerdict = "UNCLEAR";
  if (judged && judged[0] >= c) verdict = "PAYS_FOR_ITSELF";
  else if (judged && judged[1] < c) verdict = "DOES_NOT_PAY";
  if (c === 0) return { ratio: null, ci: null, net, verdict, reason: "NO_COST" };
  return {
    ratio: incrementalMargin.estimateMinor / c,
    ci: m ? [m[0] / c, m[1] / c] : null,
    net,
    verdict,
    reason: null,
  };
}
