import type { Transaction } from "../clv";
import { generateSyntheticData } from "../generate";
import type { CustomerOrderAggregate } from "./order-aggregate";

/**
 * Test fixture (used by specs only): the purchases of `customers` synthetic customers from the
 * domain generator (a BG/NBD purchase process, 2023-01-01 to 2024-12-31, day numbers 19358 to
 * 20088), completed orders only, amounts in currency units.
 */
export function syntheticTransactions(customers: number, seed = 7): Transaction[] {
  const out: Transaction[] = [];
  for (const { orders } of generateSyntheticData({ customers, seed })) {
    for (const order of orders) {
      if (order.status !== "completed") continue;
      out.push({
        customerId: order.customer_external_id,
        date: Math.floor(Date.parse(order.placed_at) / 86_400_000),
        amount: Number(order.amount),
      });
    }
  }
  return out;
}

/**
 * What the scoring run's SQL computes for each customer, computed here from the transactions
 * (amounts to cents), up to and including `endDay`.
 */
export function aggregateTransactions(
  transactions: readonly Transaction[],
  endDay: number,
): Map<string, CustomerOrderAggregate> {
  const byCustomer = new Map<string, { day: number; cents: number }[]>();
  for (const t of transactions) {
    const day = t.date as number;
    if (day > endDay) continue;
    const list = byCustomer.get(t.customerId) ?? [];
    list.push({ day, cents: Math.round(t.amount * 100) });
    byCustomer.set(t.customerId, list);
  }
  const out = new Map<string, CustomerOrderAggregate>();
  for (const [id, list] of byCustomer) {
    const days = new Set(list.map((o) => o.day));
    const firstDay = Math.min(...days);
    out.set(id, {
      orders: list.length,
      purchaseDays: days.size,
      firstDay,
      lastDay: Math.max(...days),
      amountMinor: list.reduce((s, o) => s + o.cents, 0),
      firstDayAmountMinor: list.filter((o) => o.day === firstDay).reduce((s, o) => s + o.cents, 0),
      marginKnownMinor: 0,
      amountWithoutMarginMinor: list.reduce((s, o) => s + o.cents, 0),
    });
  }
  return out;
}
