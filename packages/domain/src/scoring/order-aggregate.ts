/**
 * What the database says about one customer's completed orders, aggregated in SQL so that a
 * scoring run never holds individual orders. Days are whole UTC days since 1970-01-01; money
 * is in integer minor units of the store currency.
 */
export interface CustomerOrderAggregate {
  /** Completed orders. */
  orders: number;
  /** Distinct UTC days with a completed order (BTYD transactions: same-day orders count once). */
  purchaseDays: number;
  firstDay: number;
  lastDay: number;
  /** Sum of the completed orders' amounts. */
  amountMinor: number;
  /** Sum of the amounts on the first purchase day (excluded from the mean repeat spend). */
  firstDayAmountMinor: number;
  /** Sum of the margins of orders that have a margin. */
  marginKnownMinor: number;
  /** Sum of the amounts of orders without a margin (the default margin rate applies to them). */
  amountWithoutMarginMinor: number;
}

/**
 * The part of a customer's purchase days that falls on or before a calibration end, for the
 * holdout check: the first day and its amount are those of the full history.
 */
export interface CalibrationAggregate {
  purchaseDays: number;
  firstDay: number;
  lastDay: number;
  amountMinor: number;
  firstDayAmountMinor: number;
}
