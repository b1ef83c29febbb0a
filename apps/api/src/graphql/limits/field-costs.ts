import { MAX_PAGE_SIZE } from "../connection";
import type { CostRules } from "./cost-model";

/** Bulk mutations (upsertCustomers, recordOrders) take at most this many items a call. */
export const MAX_BULK_ITEMS = 1000;

/**
 * Fields whose one resolution is worth more than a column read, keyed "Type.field". The figures
 * are rough units of "one row read": what matters is that a field touching the whole customer
 * base costs far more than one touching a row, so that aliasing it many times is refused.
 */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  // Aggregates every customer and order (several full scans).
  "Query.dashboard": 1000,
  // Starts a background run over the whole base.
  "Mutation.runScoring": 1000,
  // SELECT DISTINCT over every customer.
  "Query.acquisitionChannels": 200,
  // COUNT(*) over the filter, which may be every customer.
  "CustomerConnection.totalCount": 200,
  "AuditEntryConnection.totalCount": 100,
  "ScoringRunConnection.totalCount": 20,
  "UserConnection.totalCount": 20,
  // Sums over every loyalty account, lot and the period's ledger entries.
  "Query.loyaltyEconomics": 1000,
  "LoyaltyLedgerEntryConnection.totalCount": 20,
  // The fitted model is a large JSON document read and parsed per request.
  "Query.valueModel": 100,
  "ScoringRun.model": 100,
  // One scrypt hash each (tens of milliseconds of CPU).
  "Mutation.login": 100,
  "Mutation.createUser": 100,
};

/** Fields an operation may select at most this many times, aliases and fragment spreads included. */
export const FIELD_OCCURRENCE_LIMITS: Readonly<Record<string, number>> = {
  // Each login is a deliberately slow password hash: one request must not buy a hundred.
  "Mutation.login": 1,
};

export const DEFAULT_COST_RULES: CostRules = {
  fieldCosts: FIELD_COSTS,
  pageArgument: "first",
  maxPageSize: MAX_PAGE_SIZE,
  itemsArgument: "input",
  maxItems: MAX_BULK_ITEMS,
  unboundedListSize: 100,
};
