import { daysPerUnit, type PurchaseHistory, type TimeUnit } from "../clv";
import type { CalibrationAggregate } from "./order-aggregate";

/** A BG/NBD history with the Gamma-Gamma spend input, in the model's units. */
export interface AggregateSummary extends PurchaseHistory {
  /** m̄, mean amount of the repeat purchase days in currency units (0 when x = 0); a float model input. */
  monetary: number;
}

/**
 * The calibration summary (x, t_x, T, m̄) of one customer from SQL aggregates, with the same
 * conventions as `summarizeTransactions` (FHL 2005 §2, lifetimes): x = distinct purchase days
 * after the first, t_x = last − first day, T = end − first day, both in the time unit, and m̄ =
 * (amount − first day's amount) / x. Because the aggregates already count distinct days and
 * sum the first day separately, this needs no order list.
 *
 * @param aggregate purchase days, first and last day, total and first-day amounts.
 * @param endDay last day of the observation (inclusive), ≥ the last purchase day.
 * @param timeUnit unit of recency and T.
 * @param currencyDecimals digits of the minor unit (2 for cents).
 * @returns the summary.
 * @throws {RangeError} when the aggregate is inconsistent (no purchase day, days out of order,
 *   the last day after the end) — a sign of a query bug, not of bad data.
 * @example
 * summaryFromAggregate({ purchaseDays: 3, firstDay: 0, lastDay: 14, amountMinor: 6000, firstDayAmountMinor: 1000 }, 21, "week", 2);
 * // { frequency: 2, recency: 2, T: 3, monetary: 25 }
 */
export function summaryFromAggregate(
  aggregate: CalibrationAggregate,
  endDay: number,
  timeUnit: TimeUnit,
  currencyDecimals: number,
): AggregateSummary {
  const { purchaseDays, firstDay, lastDay, amountMinor, firstDayAmountMinor } = aggregate;
  if (
    !Number.isInteger(purchaseDays) ||
    purchaseDays < 1 ||
    lastDay < firstDay ||
    lastDay > endDay ||
    (purchaseDays === 1 && lastDay !== firstDay)
  ) {
    throw new RangeError(
      `inconsistent order aggregate: ${purchaseDays} purchase day(s) from day ${firstDay} to ${lastDay}, end ${endDay}`,
    );
  }
  const unit = daysPerUnit(timeUnit);
  const x = purchaseDays - 1;
  const scale = 10 ** currencyDecimals;
  return {
    frequency: x,
    recency: (lastDay - firstDay) / unit,
    T: (endDay - firstDay) / unit,
    monetary: x > 0 ? (amountMinor - firstDayAmountMinor) / x / scale : 0,
  };
}
