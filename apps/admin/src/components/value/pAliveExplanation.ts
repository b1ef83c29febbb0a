import { daysBetween, humanDuration, type HumanDuration } from "../../format/duration";

/** What the customer page knows when it explains a P(alive). */
export interface PAliveFacts {
  /** BG/NBD P(alive), 0–1; null when the model did not estimate it. */
  pAlive: number | null;
  /** Repeat purchase days (x): purchase days after the first. */
  frequency: number;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  /**
   * The model's "now": the last purchase day in the data the run was fitted on
   * (`FittedValueModel.observationEnd`). Times are measured to it, not to the viewer's clock,
   * because that is what the model saw.
   */
  asOf: string | null;
}

/** How likely the customer is to still be buying, in words. */
export type PAliveVerdict = "veryLikely" | "likely" | "unsure" | "lapsed";

/** Which sentence explains the P(alive), with what goes into it. */
export type PAliveExplanation =
  /** No completed purchase: nothing to estimate from. */
  | { kind: "noPurchases" }
  /** Purchases, but no estimate (BG/NBD could not be fitted in the run). */
  | { kind: "notEstimated" }
  /**
   * Bought on one day only. BG/NBD lets customers drop out only after a repeat purchase, so
   * it gives them P(alive) = 1 however long ago that was; the sentence says so.
   */
  | { kind: "oneTime"; since: HumanDuration | null }
  /** Likely still buying: how often and how recently they bought. */
  | {
      kind: "active";
      verdict: Extract<PAliveVerdict, "veryLikely" | "likely">;
      purchaseDays: number;
      since: HumanDuration | null;
    }
  /**
   * Possibly gone: how long since the last purchase against how often they used to buy.
   * `every` is null when the purchase dates are missing.
   */
  | {
      kind: "lapsing";
      verdict: Extract<PAliveVerdict, "unsure" | "lapsed">;
      purchaseDays: number;
      gap: HumanDuration | null;
      every: HumanDuration | null;
    };

/**
 * Bands of P(alive). Above 0.5 matches the dashboard's "active customers" (the API counts
 * P(alive) > 0.5); 0.8 and 0.2 split the sure from the unsure on either side.
 */
export const P_ALIVE_BANDS = { veryLikely: 0.8, likely: 0.5, unsure: 0.2 } as const;

/**
 * The verdict for a P(alive).
 *
 * @param pAlive - between 0 and 1.
 * @returns "veryLikely" (≥ 0.8), "likely" (> 0.5), "unsure" (≥ 0.2) or "lapsed".
 * @example
 * pAliveVerdict(0.93) // "veryLikely"
 */
export function pAliveVerdict(pAlive: number): PAliveVerdict {
  if (pAlive >= P_ALIVE_BANDS.veryLikely) return "veryLikely";
  if (pAlive > P_ALIVE_BANDS.likely) return "likely";
  if (pAlive >= P_ALIVE_BANDS.unsure) return "unsure";
  return "lapsed";
}

/**
 * Chooses the plain-language explanation of a customer's P(alive) from its level and the
 * purchase history: a likely-active customer is described by how often and how recently they
 * bought ("Bought on 5 days, the last 3 weeks ago: very likely still a customer"), a likely
 * lapsed one by the silence against their usual rhythm ("No purchase for 14 months after
 * buying about every month: probably lapsed").
 *
 * @param facts - P(alive), frequency, first and last purchase, and the model's "now".
 * @returns which sentence to show and its parts; the page words it in the UI language.
 * @example
 * explainPAlive({ pAlive: 0.05, frequency: 11, firstPurchaseAt: "2022-01-01T00:00:00Z",
 *   lastPurchaseAt: "2022-12-01T00:00:00Z", asOf: "2024-02-01T00:00:00Z" })
 * // { kind: "lapsing", verdict: "lapsed", purchaseDays: 12,
 * //   gap: { unit: "month", count: 14 }, every: { unit: "month", count: 1 } } (about)
 */
export function explainPAlive(facts: PAliveFacts): PAliveExplanation {
  if (!facts.lastPurchaseAt) return { kind: "noPurchases" };
  if (facts.pAlive === null || !Number.isFinite(facts.pAlive)) return { kind: "notEstimated" };

  const sinceDays = facts.asOf ? daysBetween(facts.lastPurchaseAt, facts.asOf) : null;
  const since = sinceDays === null ? null : humanDuration(sinceDays);
  if (facts.frequency <= 0) return { kind: "oneTime", since };

  const purchaseDays = facts.frequency + 1;
  const verdict = pAliveVerdict(facts.pAlive);
  if (verdict === "veryLikely" || verdict === "likely") {
    return { kind: "active", verdict, purchaseDays, since };
  }
  // The customer's usual rhythm: the span of their purchase days over the gaps in it.
  const spanDays = facts.firstPurchaseAt
    ? daysBetween(facts.firstPurchaseAt, facts.lastPurchaseAt)
    : null;
  const every =
    spanDays === null || spanDays === 0 ? null : humanDuration(spanDays / facts.frequency);
  return { kind: "lapsing", verdict, purchaseDays, gap: since, every };
}
