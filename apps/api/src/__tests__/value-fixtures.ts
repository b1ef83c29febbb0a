import { generateSyntheticData, parseMoney } from "@valuetier/domain";
import type { DataSource } from "typeorm";
import { toSqlDateTime } from "../db/sql-values";

/** A customer for the value tests. */
export interface FixtureCustomer {
  externalId: string;
  firstSeenAt: string;
  acquisitionCostMinor: number | null;
}

/** An order for the value tests (placedAt as ISO 8601 UTC). */
export interface FixtureOrder {
  externalId: string;
  customer: string;
  placedAt: string;
  amountMinor: number;
  marginMinor: number | null;
  status?: "completed" | "refunded";
  currency?: string;
}

const chunk = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, i * size + size),
  );

/**
 * Inserts customers and orders with plain SQL (both drivers), then sets the customers' order
 * aggregates as the import would. Returns the customers' ids by external id.
 */
export async function insertFixture(
  dataSource: DataSource,
  customers: FixtureCustomer[],
  orders: FixtureOrder[],
): Promise<Map<string, number>> {
  for (const part of chunk(customers, 400)) {
    await dataSource.query(
      `INSERT INTO customers (external_id, email, name, first_seen_at, acquisition_cost_minor, tags, order_count, total_spent_minor)
       VALUES ${part.map(() => "(?, NULL, '', ?, ?, '', 0, 0)").join(", ")}`,
      part.flatMap((c) => [
        c.externalId,
        toSqlDateTime(new Date(c.firstSeenAt)),
        c.acquisitionCostMinor,
      ]),
    );
  }
  const rows: { id: number | string; external_id: string }[] = await dataSource.query(
    "SELECT id, external_id FROM customers",
  );
  const ids = new Map(rows.map((r) => [r.external_id, Number(r.id)]));
  for (const part of chunk(orders, 400)) {
    await dataSource.query(
      `INSERT INTO orders (external_id, customer_id, placed_at, amount_minor, margin_minor, currency, status)
       VALUES ${part.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
      part.flatMap((o) => [
        o.externalId,
        ids.get(o.customer)!,
        toSqlDateTime(new Date(o.placedAt)),
        o.amountMinor,
        o.marginMinor,
        o.currency ?? "USD",
        o.status ?? "completed",
      ]),
    );
  }
  return ids;
}

/** `count` customers of the domain's synthetic generator (BG/NBD purchases over 2023–2024). */
export function syntheticFixture(
  count: number,
  seed: number,
): { customers: FixtureCustomer[]; orders: FixtureOrder[] } {
  const customers: FixtureCustomer[] = [];
  const orders: FixtureOrder[] = [];
  const minor = (text: string) => {
    const parsed = parseMoney(text, "USD");
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.minor;
  };
  for (const history of generateSyntheticData({ customers: count, seed })) {
    const c = history.customer;
    customers.push({
      externalId: `S${seed}-${c.external_id}`,
      firstSeenAt: c.created_at,
      acquisitionCostMinor: minor(c.acquisition_cost),
    });
    for (const o of history.orders) {
      orders.push({
        externalId: `S${seed}-${o.external_id}`,
        customer: `S${seed}-${c.external_id}`,
        placedAt: o.placed_at,
        amountMinor: minor(o.amount),
        marginMinor: o.margin === "" ? null : minor(o.margin),
        status: o.status,
      });
    }
  }
  return { customers, orders };
}
