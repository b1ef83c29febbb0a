import { ClvError } from "./clv-error";
import type { CustomerSummary } from "./customer-summary";
import {
  groupPurchaseDays,
  isoDay,
  toDayNumber,
  type PurchaseDays,
  type Transaction,
} from "./purchase-days";
import { daysPerUnit, type TimeUnit } from "./time-unit";

/** Options of {@link summarizeTransactions}. */
export interface SummarizeOptions {
  /** Last day of the calibration period (inclusive). Later purchases are ignored here. */
  calibrationEnd: Date | number;
  /** Unit of recency and T. */
  timeUnit: TimeUnit;
  /** Reference "today": purchases or a calibration end after it are errors. Optional. */
  now?: Date | number;
}

/**
 * Per-customer calibration summary (x, t_x, T, mean repeat spend) from raw transactions,
 * following FHL 2005 §2 and the lifetimes `summary_data_from_transaction_data` conventions:
 * - purchases on the same day by the same customer are one transaction (amounts summed);
 * - x = number of distinct purchase days after the first, up to the calibration end;
 * - t_x = days from the first to the last of those, T = days from the first purchase to the
 *   calibration end, both divided by the unit's length in days (7 for weeks, 30.4375 for
 *   months), without rounding;
 * - monetary = mean amount of the repeat days (0 when x = 0), a float model input;
 * - customers whose first purchase is after the calibration end are not yet customers then and
 *   are left out.
 *
 * @param transactions purchases (any order).
 * @param options calibration end, time unit, optional `now`.
 * @returns one summary per customer, in order of first appearance.
 * @throws {ClvError} EMPTY_INPUT, INVALID_*, NEGATIVE_AMOUNT, FUTURE_DATE (see
 *   groupPurchaseDays); FUTURE_DATE also for a calibration end after `now`;
 *   CALIBRATION_BEFORE_FIRST_PURCHASE when the calibration end precedes every purchase.
 * @example
 * summarizeTransactions(tx, { calibrationEnd: new Date("1997-09-30"), timeUnit: "week" });
 */
export function summarizeTransactions(
  transactions: readonly Transaction[],
  options: SummarizeOptions,
): CustomerSummary[] {
  return summarizeGrouped(groupPurchaseDays(transactions, options.now), options);
}

/** {@link summarizeTransactions} on already grouped purchase days. */
export function summarizeGrouped(
  grouped: Map<string, PurchaseDays>,
  options: SummarizeOptions,
): CustomerSummary[] {
  const end = toDayNumber(options.calibrationEnd, "calibration end");
  const unit = daysPerUnit(options.timeUnit);
  if (options.now !== undefined) {
    const today = toDayNumber(options.now, "now");
    if (end > today) {
      throw new ClvError(
        "FUTURE_DATE",
        `calibration end ${isoDay(end)} is after today (${isoDay(today)})`,
        {
          field: "calibrationEnd",
        },
      );
    }
  }
  let firstPurchase = Number.POSITIVE_INFINITY;
  for (const { days } of grouped.values()) firstPurchase = Math.min(firstPurchase, days[0]!);
  if (end < firstPurchase) {
    throw new ClvError(
      "CALIBRATION_BEFORE_FIRST_PURCHASE",
      `calibration end ${isoDay(end)} is before the first purchase (${isoDay(firstPurchase)}): no customer exists yet`,
      { field: "calibrationEnd" },
    );
  }
  const summaries: CustomerSummary[] = [];
  for (const [customerId, { days, amounts }] of grouped) {
    const first = days[0]!;
    if (first > end) continue;
    let x = 0;
    let last = first;
    let repeatSpend = 0;
    for (let k = 1; k < days.length && days[k]! <= end; k++) {
      x++;
      last = days[k]!;
      repeatSpend += amounts[k]!;
    }
    summaries.push({
      customerId,
      frequency: x,
      recency: (last - first) / unit,
      T: (end - first) / unit,
      monetary: x > 0 ? repeatSpend / x : 0,
    });
  }
  return summaries;
}
