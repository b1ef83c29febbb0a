/** What the verdict reads of the results (revenue per customer, currency units). */
export interface VerdictInput {
  alpha: number;
  conclusive: boolean;
  revenuePerCustomer?: {
    estimate: number;
    sequentialCi?: readonly number[] | null;
  } | null;
}

/** The verdict in plain words: which message, and the figures it names. */
export type Verdict =
  | { kind: "tooFew" }
  | {
      kind: "raised" | "lowered" | "notYet";
      level: number;
      /** Absolute size of the estimate, currency units per customer. */
      amount: number;
      /** Sign of the estimate so far (for "not yet": higher or lower). */
      direction: "higher" | "lower";
      low: number;
      high: number;
    };

/**
 * The verdict on revenue per customer: raised or lowered once the always-valid interval
 * excludes no effect, "not yet conclusive" before, with that interval (valid however often the
 * page is looked at) and its level.
 *
 * @example
 * campaignVerdict({ alpha: 0.05, conclusive: true,
 *   revenuePerCustomer: { estimate: 4.2, sequentialCi: [1.1, 7.3] } })
 * // { kind: "raised", level: 95, amount: 4.2, direction: "higher", low: 1.1, high: 7.3 }
 */
export function campaignVerdict(r: VerdictInput | null | undefined): Verdict {
  const effect = r?.revenuePerCustomer;
  const ci = effect?.sequentialCi;
  if (!r || !effect || !ci || ci.length !== 2) return { kind: "tooFew" };
  const level = Math.round((1 - r.alpha) * 1000) / 10;
  const direction = effect.estimate < 0 ? "lower" : "higher";
  const kind = !r.conclusive ? "notYet" : effect.estimate > 0 ? "raised" : "lowered";
  return {
    kind,
    level,
    amount: Math.abs(effect.estimate),
    direction,
    low: ci[0]!,
    high: ci[1]!,
  };
}
