import type { GeneratedCustomer, GeneratedOrder } from "./generate-synthetic-data";

/** Header line of customers.csv, with the line break. */
export const CUSTOMERS_CSV_HEADER =
  "external_id,email,name,created_at,acquisition_channel,acquisition_cost,tags,nps\n";

/** Header line of orders.csv, with the line break. */
export const ORDERS_CSV_HEADER =
  "external_id,customer_external_id,placed_at,amount,margin,currency,status\n";

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field, quoted (RFC 4180) only when it has to be. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One customers.csv line, with the line break. */
export function customerCsvLine(c: GeneratedCustomer): string {
  return (
    `${csvField(c.external_id)},${csvField(c.email)},${csvField(c.name)},${c.created_at},` +
    `${csvField(c.acquisition_channel)},${c.acquisition_cost},${csvField(c.tags)},${c.nps}\n`
  );
}

/** One orders.csv line, with the line break. */
export function orderCsvLine(o: GeneratedOrder): string {
  return (
    `${csvField(o.external_id)},${csvField(o.customer_external_id)},${o.placed_at},` +
    `${o.amount},${o.margin},${o.currency},${o.status}\n`
  );
}
