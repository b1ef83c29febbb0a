/**
 * The one typed description of "which customers": customer list filters, segments, tier
 * membership, exports and campaign audiences are all an {@link Audience}. The segment language
 * parses into it; the API compiles it to parameterised SQL in one module (values always bound,
 * never pasted into the SQL text). Plain data: it can be stored as JSON and compared.
 */

/** What a field holds, which decides the operators and literals it accepts. */
export type FieldKind =
  /** A decimal amount in the store currency (stored as integer minor units). */
  | "money"
  /** A real number (P(alive), expected purchases). */
  | "number"
  /** A whole number (order count, NPS, RFM scores). */
  | "integer"
  /** A calendar date (UTC); compared by day. */
  | "date"
  /** Free text (name, email, external id, channel). */
  | "text"
  /** One of a fixed set of keys (lifecycle stage, churn risk, RFM group) or data-defined keys (tier). */
  | "key"
  /**
   * A set of tags or keys (customer tags, the campaigns a customer is in): only CONTAINS a whole
   * element (and IS [NOT] NULL for "none").
   */
  | "tags";

/** Every field an audience can test, with what it holds. */
export const AUDIENCE_FIELDS = {
  tier: { kind: "key" },
  clv: { kind: "money" },
  historical_value: { kind: "money" },
  p_alive: { kind: "number" },
  expected_purchases: { kind: "number" },
  churn_risk: { kind: "key", values: ["low", "medium", "high"] },
  lifecycle_stage: {
    kind: "key",
    values: ["prospect", "new", "growing", "mature", "declining", "churned"],
  },
  rfm_group: {
    kind: "key",
    values: [
      "CHAMPIONS",
      "LOYAL",
      "ACTIVE",
      "NEEDS_ATTENTION",
      "NEW",
      "PROMISING",
      "AT_RISK",
      "PREVIOUSLY_LOYAL",
      "ALMOST_LOST",
      "DORMANT",
      "PROSPECTS",
    ],
  },
  rfm_r: { kind: "integer" },
  rfm_f: { kind: "integer" },
  rfm_m: { kind: "integer" },
  total_spent: { kind: "money" },
  order_count: { kind: "integer" },
  first_order_date: { kind: "date" },
  last_order_date: { kind: "date" },
  created_at: { kind: "date" },
  acquisition_channel: { kind: "text" },
  acquisition_cost: { kind: "money" },
  tags: { kind: "tags" },
  nps: { kind: "integer" },
  email: { kind: "text" },
  name: { kind: "text" },
  external_id: { kind: "text" },
  /** The loyalty account's points balance (available + pending); empty without an account. */
  points_balance: { kind: "integer" },
  /**
   * Open points (lots with points left, pending or available) whose expiry falls on a day from
   * today to today + 30 (UTC); 0 with an account and nothing expiring, empty without an account.
   */
  points_expiring: { kind: "integer" },
  /** The keys of the campaigns the customer is a member of, control group included. */
  campaign: { kind: "tags" },
} as const satisfies Record<string, { kind: FieldKind; values?: readonly string[] }>;

export type AudienceField = keyof typeof AUDIENCE_FIELDS;

/** A value as written in a condition. Numbers and amounts stay decimal text: never floats. */
export type Literal =
  | { type: "number"; value: string }
  | { type: "string"; value: string }
  /** A calendar date, `YYYY-MM-DD`. */
  | { type: "date"; value: string }
  /** A date relative to the day the audience is evaluated: -90d, -12w, -6m, -1y, +30d. */
  | { type: "relativeDate"; amount: number; unit: "d" | "w" | "m" | "y" }
  /** The day the audience is evaluated. */
  | { type: "today" };

export type Comparison = "=" | "!=" | "<" | "<=" | ">" | ">=";

/**
 * A condition over one customer. Negation is NULL-safe: `not` of a test keeps the customers
 * for whom the test is not true, including those whose field is empty (`NOT tier = 'high'`
 * includes customers without a tier).
 */
export type Condition =
  | { type: "and"; conditions: Condition[] }
  | { type: "or"; conditions: Condition[] }
  | { type: "not"; condition: Condition }
  | { type: "compare"; field: AudienceField; op: Comparison; value: Literal }
  | { type: "in"; field: AudienceField; values: Literal[] }
  | { type: "between"; field: AudienceField; low: Literal; high: Literal }
  | { type: "contains"; field: AudienceField; value: string }
  | { type: "isNull"; field: AudienceField }
  /** Members of a saved segment (its own condition, evaluated now). */
  | { type: "segment"; segmentId: number };

/** An audience: everyone, or the customers meeting a condition. */
export interface Audience {
  condition: Condition | null;
}

/** Everyone. */
export const EVERYONE: Audience = { condition: null };
