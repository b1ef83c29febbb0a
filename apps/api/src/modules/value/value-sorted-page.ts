import type { DataSource, SelectQueryBuilder } from "typeorm";
import { CustomerEntity } from "../customers/customer.entity";
import { CustomerValueEntity } from "./customer-value.entity";

/** A page of customer ids in the order of a customer_values column of one run. */
export interface ValueSortedPageInput {
  dataSource: DataSource;
  /** The run whose values sort (the current one; 0 when there is none). */
  runId: number;
  column: "clvMinor" | "pAlive";
  direction: "ASC" | "DESC";
  first: number;
  /** The keyset of the last row of the previous page. */
  after: { value: number | null; id: number } | null;
  /**
   * Adds the list's filters to a query that has customers as `c` and the run's values as `v`.
   */
  applyFilters(qb: SelectQueryBuilder<object>): void;
}

export interface ValueSortedPage {
  /** Up to `first + 1` rows in order; the extra one says there is a next page. */
  rows: { id: number; value: number | null }[];
}

/**
 * Customers ordered by CLV or P(alive) of a run and then by id, NULLs (no value, or no row for
 * customers who arrived after the run) first ascending and last descending, as keysetCondition
 * orders them (the same order as its keyset condition). Read in two index-driven parts instead of one LEFT JOIN and a sort of every
 * customer: the customers with a value, from customer_values' (run_id, column, customer_id)
 * index with customers joined to it, and the customers without, by primary key.
 */
export async function valueSortedPage(input: ValueSortedPageInput): Promise<ValueSortedPage> {
  const { dataSource, runId, column, direction, first, after } = input;
  const property = `v.${column}`;
  const parts: ("values" | "nulls")[] =
    direction === "DESC" ? ["values", "nulls"] : ["nulls", "values"];
  // A cursor in the NULL part starts there; a cursor with a value starts in the value part.
  const startAt = after === null ? 0 : parts.indexOf(after.value === null ? "nulls" : "values");
  const rows: { id: number; value: number | null }[] = [];
  for (let p = startAt; p < parts.length && rows.length <= first; p++) {
    const part = parts[p]!;
    const limit = first + 1 - rows.length;
    const continuing = after !== null && p === startAt;
    if (part === "values") {
      const qb = dataSource
        .getRepository(CustomerValueEntity)
        .createQueryBuilder("v")
        .innerJoin(CustomerEntity, "c", "c.id = v.customerId")
        .where("v.runId = :runId", { runId })
        .andWhere(`${property} IS NOT NULL`);
      input.applyFilters(qb as SelectQueryBuilder<object>);
      if (continuing) {
        // (value, id) after the cursor, written so that MySQL reads it as a range of the index
        // (value ≤ kv …): with keysetCondition's OR form it joins every customer and sorts.
        const [cmp, cmpOrEqual] = direction === "ASC" ? [">", ">="] : ["<", "<="];
        qb.andWhere(
          `${property} ${cmpOrEqual} :kv AND (${property} ${cmp} :kv OR v.customerId ${cmp} :kid)`,
          { kv: after.value, kid: after.id },
        );
      }
      const found: { id: number | string; value: number | string }[] = await qb
        .select("v.customerId", "id")
        .addSelect(property, "value")
        .orderBy(property, direction)
        .addOrderBy("v.customerId", direction)
        .limit(limit)
        .getRawMany();
      for (const row of found) rows.push({ id: Number(row.id), value: Number(row.value) });
    } else {
      const qb = dataSource
        .getRepository(CustomerEntity)
        .createQueryBuilder("c")
        .leftJoin(CustomerValueEntity, "v", "v.runId = :runId AND v.customerId = c.id", { runId })
        .where(`${property} IS NULL`);
      input.applyFilters(qb as SelectQueryBuilder<object>);
      if (continuing) {
        qb.andWhere(direction === "ASC" ? "c.id > :afterId" : "c.id < :afterId", {
          afterId: after.id,
        });
      }
      const found: { id: number | string }[] = await qb
        .select("c.id", "id")
        .orderBy("c.id", direction)
        .limit(limit)
        .getRawMany();
      for (const row of found) rows.push({ id: Number(row.id), value: null });
    }
  }
  return { rows };
}
