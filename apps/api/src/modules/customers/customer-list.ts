import { parseMoney, type Condition, type Literal } from "@valuetier/domain";
import { DomainError } from "../../errors/domain-error";

/**
 * What the customers list can be asked for, as plain data: the service's own terms, which the
 * GraphQL inputs (customer.types.ts) satisfy. Filters become an audience condition
 * ({@link filterConditions}), so the list selects customers through the one audience model.
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
  tierKeys?: string[] | null;
  rfmGroups?: string[] | null;
  lifecycleStages?: string[] | null;
  churnRisks?: string[] | null;
  /** Members of this saved segment. */
  segmentId?: number | null;
}

const text = (value: string): Literal => ({ type: "string", value });
const day = (date: Date): Literal => ({ type: "date", value: date.toISOString().slice(0, 10) });

/**
 * The filter as audience conditions, all of which must hold (a query in the segment language is
 * added by the caller). Dates compare by UTC day: createdFrom includes its day, createdTo is
 * the first day no longer included.
 *
 * @throws {DomainError} INVALID_INPUT for a malformed amount, naming the filter field.
 */
export function filterConditions(
  filter: CustomerListFilter | null | undefined,
  currency: string,
): Condition[] {
  if (!filter) return [];
  const all: Condition[] = [];
  const search = filter.search?.trim();
  if (search) {
    all.push({
      type: "or",
      conditions: (["name", "email", "external_id"] as const).map((field) => ({
        type: "contains" as const,
        field,
        value: search,
      })),
    });
  }
  const anyOf = (
    field: Condition & { type: "in" } extends { field: infer F } ? F : never,
    values?: string[] | null,
  ) => {
    if (values?.length) all.push({ type: "in", field, values: values.map(text) });
  };
  anyOf("acquisition_channel", filter.channels);
  anyOf("tier", filter.tierKeys);
  anyOf("rfm_group", filter.rfmGroups);
  anyOf("lifecycle_stage", filter.lifecycleStages);
  anyOf("churn_risk", filter.churnRisks);
  if (filter.createdFrom)
    all.push({ type: "compare", field: "created_at", op: ">=", value: day(filter.createdFrom) });
  if (filter.createdTo)
    all.push({ type: "compare", field: "created_at", op: "<", value: day(filter.createdTo) });
  const amount = (value: string | null | undefined, name: string, op: ">=" | "<=") => {
    if (value == null) return;
    const parsed = parseMoney(value, currency);
    if (!parsed.ok) {
      throw new DomainError("INVALID_INPUT", `filter.${name}: ${parsed.message}`, {
        field: `filter.${name}`,
      });
    }
    all.push({ type: "compare", field: "clv", op, value: { type: "number", value: value.trim() } });
  };
  amount(filter.clvMin, "clvMin", ">=");
  amount(filter.clvMax, "clvMax", "<=");
  const share = (value: number | null | undefined, op: ">=" | "<=") => {
    if (value != null) {
      all.push({
        type: "compare",
        field: "p_alive",
        op,
        value: { type: "number", value: plainDecimal(value) },
      });
    }
  };
  share(filter.pAliveMin, ">=");
  share(filter.pAliveMax, "<=");
  if (filter.segmentId != null) all.push({ type: "segment", segmentId: filter.segmentId });
  return all;
}

/** A number as plain decimal text (no exponent), e.g. 1e-7 → "0.0000001". */
function plainDecimal(value: number): string {
  return value.toFixed(15).replace(/\.?0+$/, "");
}
