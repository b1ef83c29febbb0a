import type { MoneyValue } from "../../format/money";

/**
 * The margin rate behind a customer's CLV, for display: margin to date over spend to date,
 * held to 0–1 as the scoring run holds it (packages/domain scoreCustomer). Money is not
 * computed here; this is the ratio of two server amounts, shown as a percentage.
 *
 * @param margin - `CustomerValue.margin`, the margin of completed orders to date.
 * @param spent - `Customer.totalSpent`, the sum of completed orders.
 * @returns the rate, or null when there is no spend or the currencies differ.
 * @example
 * displayMarginRate({ amount: "30.00", currency: "USD" }, { amount: "120.00", currency: "USD" }) // 0.25
 */
export function displayMarginRate(margin: MoneyValue, spent: MoneyValue): number | null {
  if (margin.currency !== spent.currency) return null;
  const m = Number(margin.amount);
  const s = Number(spent.amount);
  if (!Number.isFinite(m) || !Number.isFinite(s) || s <= 0) return null;
  return Math.min(1, Math.max(0, m / s));
}
