import type { CustomerSortField, SortDirection } from "../../gql/graphql";

export interface CustomerSort {
  field: CustomerSortField;
  direction: SortDirection;
}

/**
 * Most valuable customers first until the user picks another column: on a value platform the
 * top spenders are the usual starting point, and the first rows always have orders to open.
 */
export const DEFAULT_CUSTOMER_SORT: CustomerSort = { field: "TOTAL_SPENT", direction: "DESC" };

/** Table column key → the API's sort field, for the sortable columns of the customer list. */
export const SORTABLE_COLUMNS = {
  name: "NAME",
  createdAt: "FIRST_SEEN_AT",
  orderCount: "ORDER_COUNT",
  totalSpent: "TOTAL_SPENT",
  lastOrderAt: "LAST_ORDER_AT",
  clv: "CLV",
  pAlive: "P_ALIVE",
} as const satisfies Record<string, CustomerSortField>;

export type SortableColumn = keyof typeof SORTABLE_COLUMNS;

/**
 * The next sort after a click on a column header. naive-ui cycles ascend → descend → off;
 * the list always has an order, so "off" on the sorted column flips its direction instead.
 *
 * @param current - the sort in effect.
 * @param columnKey - the clicked column.
 * @param order - the order naive-ui proposes for it.
 * @returns the sort to request.
 */
export function nextCustomerSort(
  current: CustomerSort,
  columnKey: string | number,
  order: "ascend" | "descend" | false,
): CustomerSort {
  if (!(columnKey in SORTABLE_COLUMNS)) return current;
  const field = SORTABLE_COLUMNS[columnKey as SortableColumn];
  if (order === false) {
    return field === current.field
      ? { field, direction: current.direction === "ASC" ? "DESC" : "ASC" }
      : current;
  }
  return { field, direction: order === "ascend" ? "ASC" : "DESC" };
}
