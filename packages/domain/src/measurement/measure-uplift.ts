import { splitGroups, type ExperimentGroup } from "./assignment-groups";
import { checkCovariates, type Covariate } from "./cuped";
import { checkAlpha, MeasurementError } from "./measurement-error";
import {
  collectMoments,
  upliftFromMoments,
  type UpliftOptions,
  type UpliftResult,
} from "./uplift-moments";

/** Per-customer outcomes of one metric, with optional pre-experiment covariates. */
export interface UpliftInput {
  groups: ArrayLike<ExperimentGroup>;
  outcome: ArrayLike<number>;
  /** Pre-period spend, predicted CLV at launch (CUPAC), …: values fixed before assignment. */
  covariates?: readonly Covariate[];
}

export type { AdjustedEstimate, UpliftOptions, UpliftResult } from "./uplift-moments";

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
  checkAlpha(options.alpha ?? 0.05);
  const { groups, outcome } = input;
  if (groups.length !== outcome.length) {
    throw new MeasurementError(
      "INVALID_SHAPE",
      `groups has ${groups.length} values and the outcome ${outcome.length}: one of each per customer`,
      { field: "groups" },
    );
  }
  checkOutcomeIndices(outcome);
  splitGroups(groups);
  const covariates = input.covariates ?? [];
  checkCovariates(covariates, outcome.length);
  return upliftFromMoments(collectMoments(groups, outcome, covariates), options);
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
