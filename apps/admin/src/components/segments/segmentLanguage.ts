/**
 * The segment language's words, mirrored from @valuetier/domain (CommonJS, so not importable
 * in the browser bundle); segmentLanguage.spec.ts checks that they match the domain's.
 */
export const SEGMENT_FIELDS = [
  "tier",
  "clv",
  "historical_value",
  "p_alive",
  "expected_purchases",
  "churn_risk",
  "lifecycle_stage",
  "rfm_group",
  "rfm_r",
  "rfm_f",
  "rfm_m",
  "total_spent",
  "order_count",
  "first_order_date",
  "last_order_date",
  "created_at",
  "acquisition_channel",
  "acquisition_cost",
  "tags",
  "nps",
  "email",
  "name",
  "external_id",
  "points_balance",
  "points_expiring",
  "campaign",
] as const;

export type SegmentFieldName = (typeof SEGMENT_FIELDS)[number];

export const SEGMENT_KEYWORDS = [
  "AND",
  "OR",
  "NOT",
  "IN",
  "BETWEEN",
  "CONTAINS",
  "IS",
  "NULL",
  "today",
] as const;

/** The fixed values of key fields (tier keys are data: the page adds the saved tiers). */
export const FIXED_VALUES: Readonly<Partial<Record<SegmentFieldName, readonly string[]>>> = {
  churn_risk: ["low", "medium", "high"],
  lifecycle_stage: ["prospect", "new", "growing", "mature", "declining", "churned"],
  rfm_group: [
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
};

export interface Completion {
  /** What is inserted in place of the word being typed. */
  insert: string;
  kind: "field" | "keyword" | "value";
}

export interface CompletionContext {
  /** Where the word being typed starts (the completion replaces text from here to the cursor). */
  from: number;
  to: number;
  items: Completion[];
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * What can be typed at the cursor: after a field and an operator, that field's fixed values
 * (quoted); otherwise field names and keywords that start with the word under the cursor.
 *
 * @param text the query.
 * @param cursor the caret offset.
 * @param tierKeys the saved tiers' keys (values of `tier`).
 * @param limit at most this many candidates.
 * @param campaignKeys the campaigns' keys (values of `campaign CONTAINS '…'`).
 * @returns the word's range and the candidates, at most `limit`.
 * @example
 * completionsAt("churn_risk = 'h", 15).items; // [{ insert: "'high'", kind: "value" }]
 */
export function completionsAt(
  text: string,
  cursor: number,
  tierKeys: readonly string[] = [],
  limit = 12,
  campaignKeys: readonly string[] = [],
): CompletionContext {
  const before = text.slice(0, cursor);
  // Inside a quoted value: complete the value of the field before the operator.
  const quoted =
    /([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|!=|(?:NOT\s+)?CONTAINS|(?:NOT\s+)?IN\s*\((?:\s*'[^']*'\s*,)*)\s*'([^']*)$/i.exec(
      before,
    );
  if (quoted) {
    const field = quoted[1]!.toLowerCase() as SegmentFieldName;
    const typed = quoted[2]!;
    const values = valuesOf(field, tierKeys, campaignKeys);
    return {
      from: cursor - typed.length - 1,
      to: cursor,
      items: values
        .filter((v) => v.toLowerCase().startsWith(typed.toLowerCase()))
        .slice(0, limit)
        .map((v) => ({ insert: `'${v}'`, kind: "value" })),
    };
  }
  const word = WORD.exec(before)?.[0] ?? "";
  const lower = word.toLowerCase();
  // After "field =" with nothing typed yet: offer the field's values.
  const afterOperator = /([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|!=|(?:NOT\s+)?CONTAINS)\s*$/i.exec(before);
  if (word === "" && afterOperator) {
    const field = afterOperator[1]!.toLowerCase() as SegmentFieldName;
    const values = valuesOf(field, tierKeys, campaignKeys);
    if (values.length > 0) {
      return {
        from: cursor,
        to: cursor,
        items: values.slice(0, limit).map((v) => ({ insert: `'${v}'`, kind: "value" })),
      };
    }
  }
  const fields: Completion[] = SEGMENT_FIELDS.filter((f) => f.startsWith(lower)).map((f) => ({
    insert: f,
    kind: "field",
  }));
  const keywords: Completion[] = word
    ? SEGMENT_KEYWORDS.filter(
        (k) => k.toLowerCase().startsWith(lower) && k.toLowerCase() !== lower,
      ).map((k) => ({ insert: k, kind: "keyword" }))
    : [];
  return {
    from: cursor - word.length,
    to: cursor,
    items: [...fields, ...keywords].slice(0, limit),
  };
}

/** The values a field takes: tier and campaign keys are data, the others fixed (or none). */
function valuesOf(
  field: SegmentFieldName,
  tierKeys: readonly string[],
  campaignKeys: readonly string[],
): readonly string[] {
  if (field === "tier") return tierKeys;
  if (field === "campaign") return campaignKeys;
  return FIXED_VALUES[field] ?? [];
}

/**
 * The text with a completion applied, and where the caret goes (after it and a space).
 *
 * @example
 * applyCompletion("ti", { from: 0, to: 2, items: [] }, { insert: "tier", kind: "field" }); // { text: "tier ", cursor: 5 }
 */
export function applyCompletion(
  text: string,
  context: Pick<CompletionContext, "from" | "to">,
  item: Completion,
): { text: string; cursor: number } {
  const rest = text.slice(context.to);
  const spacer = rest.startsWith(" ") ? "" : " ";
  const next = `${text.slice(0, context.from)}${item.insert}${spacer}${rest}`;
  return { text: next, cursor: context.from + item.insert.length + 1 };
}
