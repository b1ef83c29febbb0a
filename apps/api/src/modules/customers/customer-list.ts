/**
 * What the customers list can be asked for, as plain data: the service's own terms, which the
 * GraphQL inputs (customer.types.ts) satisfy. Issue 9's audience spec will take over filtering.
 */
export type CustomerSortKey =
  | "NAME"
  | "FIRST_SEEN_AT"
  | "TOTAL_SPENT"
  | "ORDER_COUNT"
  | "LAST_ORDER_AT"
  /** CLV of the current scoring run; customers without one sort as NULLs. */
  | "CLV"
  /** P(alive) of the current scoring run; customers without one sort as NULLs. */
  | "P_ALIVE";

export interface CustomerListOrder {
  field: CustomerSortKey;
  direction: "ASC" | "DESC";
}

export interface CustomerListFilter {
  /** Contained in the name, email or external id. */
  search?: string | null;
  channels?: string[] | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
  /** Decimal amounts in the store currency. */
  clvMin?: string | null;
  clvMax?: string | null;
  pAliveMin?: number | null;
  pAliveMax?: number | null;
}
