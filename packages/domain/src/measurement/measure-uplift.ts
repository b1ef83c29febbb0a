import { splitGroups, type ExperimentGroup } from "./assignment-groups";
import {
  confidenceSequence,
  mixingVarianceFor,
  sequentialVariance,
  type ConfidenceSequenceResult,
} from "./confidence-sequence";
import { cupedAdjust, type Covariate } from "./cuped";
import { summarizeGroup, type GroupSummary } from "./group-summary";
import { checkAlpha, MeasurementError } from "./measurement-error";
import { welchDifference, type DifferenceEstimate } from "./welch-difference";

/** Per-customer outcomes of one metric, with optional pre-experiment covariates. */
export interface UpliftInput {
  groups: ArrayLike<ExperimentGroup>;
  outcome: ArrayLike<number>;
  /** Pre-period spend, predicted CLV at launch (CUPAC), …: values fixed before assignment. */
  covariates?: readonly Covariate[];
}

export interface UpliftOptions {
  /** 1 − the level of every interval, default 0.05. */
  alpha?: number;
  /**
   * τ² of the confidence sequence, fixed before the first look. Without it, τ² is tuned so that
   * the sequence is narrowest at `planned` group sizes, or, without those, at the current sizes
   * (right for a single analysis, as in `valuetier uplift`; for daily looks pass one of them).
   */
  mixingVariance?: number;
  /** Planned group sizes at the end of the campaign, for tuning τ². */
  planned?: { treatment: number; control: number };
}

/** The CUPED-adjusted comparison. */
export interface AdjustedEstimate extends DifferenceEstimate {
  varianceReduction: number | null;
  theta: Record<string, number>;
  covariates: string[];
  dropped: string[];
}

/** Treatment vs control on one metric (the shape `valuetier uplift --json` prints, and more). */
export interface UpliftResult {
  alpha: number;
  treatment: GroupSummary;
  control: GroupSummary;
  /** Difference in means with the Welch interval and p-value. */
  effect: DifferenceEstimate;
  /** The same after CUPED; null without covariates. */
  adjusted: AdjustedEstimate | null;
  /** The always-valid interval, on the adjusted estimate when there is one, with the variance
   * of {@link sequentialVariance}. */
  sequential: ConfidenceSequenceResult & { basis: "adjusted" | "unadjusted" };
}

/**
 * Treatment vs control on one per-customer metric: group summaries, the difference in means
 * with a Welch interval and p-value, the CUPED-adjusted difference when covariates are given,
 * and the always-valid confidence sequence (normal mixture) with its verdict.
 *
 * @param input per-customer group, outcome and optional covariates, in the same order.
 * @param options alpha and the confidence sequence's mixing variance.
 * @returns the result; see {@link UpliftResult}.
 * @throws {MeasurementError} INVALID_SHAPE (lengths differ), INVALID_GROUP, INVALID_NUMBER,
 *   TOO_FEW_CUSTOMERS (a group under 2), INVALID_PARAMETER.
 * @example
 * measureUplift({ groups, outcome: revenue, covariates: [{ name: "pre_spend", values }] });
 */
export function measureUplift(input: UpliftInput, options: UpliftOptions = {}): UpliftResult {
  const alpha = options.alpha ?? 0.05;
  checkAlpha(alpha);
  const { groups, outcome } = input;
  if (groups.length !== outcome.length) {
    throw new MeasurementError(
      "INVALID_SHAPE",
      `groups has ${groups.length} values and the outcome ${outcome.length}: one of each per customer`,
      { field: "groups" },
    );
  }
  checkOutcomeIndices(outcome);
  const split = splitGroups(groups);
  const treatment = summarizeGroup(
    Array.from(split.treatment, (i) => outcome[i]!),
    "outcome",
  );
  const control = summarizeGroup(
    Array.from(split.control, (i) => outcome[i]!),
    "outcome",
  );
  const effect = welchDifference(treatment, control, alpha);

  let adjusted: AdjustedEstimate | null = null;
  let basis = { estimate: effect.estimate, t: treatment, c: control };
  if (input.covariates && input.covariates.length > 0) {
    const cuped = cupedAdjust(groups, outcome, input.covariates, alpha);
    const { adjusted: _values, treatment: t, control: c, ...estimate } = cuped;
    adjusted = estimate;
    basis = { estimate: cuped.estimate, t, c };
  }

  const variance = sequentialVariance(basis.t, basis.c);
  let tau2 = options.mixingVariance;
  if (options.planned) {
    for (const [name, n] of Object.entries(options.planned)) {
      if (!(Number.isSafeInteger(n) && n >= 1)) {
        throw new MeasurementError(
          "INVALID_PARAMETER",
          `planned.${name} must be a whole number ≥ 1 (got ${n})`,
          { field: `planned.${name}` },
        );
      }
    }
  }
  if (tau2 === undefined) {
    // The variance the sequence will use, at the planned (or current) group sizes.
    const planned = sequentialVariance(
      { ...basis.t, n: options.planned?.treatment ?? basis.t.n },
      { ...basis.c, n: options.planned?.control ?? basis.c.n },
    );
    // All outcomes equal: nothing to tune to, and no interval either (ci is null).
    tau2 = planned > 0 ? mixingVarianceFor(planned, alpha) : 1;
  }
  const sequential = {
    ...confidenceSequence(basis.estimate, variance, tau2, alpha),
    basis: adjusted ? ("adjusted" as const) : ("unadjusted" as const),
  };
  return { alpha, treatment, control, effect, adjusted, sequential };
}

/** Names the first non-finite outcome (summarizeGroup sees group positions, not input rows). */
function checkOutcomeIndices(outcome: ArrayLike<number>): void {
  for (let i = 0; i < outcome.length; i++) {
    if (!Number.isFinite(outcome[i]!)) {
      throw new MeasurementError(
        "INVALID_NUMBER",
        `outcome[${i}] must be a finite number (got ${outcome[i]})`,
        { index: i, field: "outcome" },
      );
    }
  }
}
