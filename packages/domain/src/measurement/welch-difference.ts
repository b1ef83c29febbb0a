import type { GroupSummary } from "./group-summary";
import { checkAlpha, MeasurementError } from "./measurement-error";
import { studentTQuantile, studentTUpperTail } from "./student-t";

/** A difference in means (treatment − control) with its two-sided interval and test. */
export interface DifferenceEstimate {
  estimate: number;
  /** √(s_T²/n_T + s_C²/n_C). */
  standardError: number;
  /** Welch–Satterthwaite degrees of freedom; null when the standard error is 0. */
  df: number | null;
  /** The 1 − alpha interval; null when the standard error is 0 (no variation to judge by). */
  ci: [number, number] | null;
  /** Two-sided p-value of "no difference"; null when the standard error is 0. */
  pValue: number | null;
  alpha: number;
}

/** Refuses groups too small to estimate a variance from. */
export function checkGroupSizes(treatment: GroupSummary, control: GroupSummary): void {
  for (const [name, g] of [
    ["treatment", treatment],
    ["control", control],
  ] as const) {
    if (g.n < 2) {
      throw new MeasurementError(
        "TOO_FEW_CUSTOMERS",
        `the ${name} group has ${g.n} customer${g.n === 1 ? "" : "s"}; at least 2 in each group are needed to estimate a variance`,
        { field: name },
      );
    }
  }
}

/**
 * Welch–Satterthwaite degrees of freedom of s_T²/n_T + s_C²/n_C.
 *
 * @returns ν = (v_T + v_C)² / (v_T²/(n_T − 1) + v_C²/(n_C − 1)) with v = s²/n; NaN when both
 *   variances are 0.
 */
export function welchDegreesOfFreedom(treatment: GroupSummary, control: GroupSummary): number {
  const vt = (treatment.sd * treatment.sd) / treatment.n;
  const vc = (control.sd * control.sd) / control.n;
  const denominator = (vt * vt) / (treatment.n - 1) + (vc * vc) / (control.n - 1);
  return denominator === 0 ? Number.NaN : ((vt + vc) * (vt + vc)) / denominator;
}

/**
 * Difference in means with Welch's unequal-variance t interval and two-sided p-value (Welch
 * 1947, "The generalization of 'Student's' problem when several different population variances
 * are involved", Biometrika 34): Δ = ȳ_T − ȳ_C, SE = √(s_T²/n_T + s_C²/n_C), interval
 * Δ ± t(ν, 1 − α/2)·SE with ν from Welch–Satterthwaite.
 *
 * @param treatment summary of the treated group.
 * @param control summary of the control group.
 * @param alpha 1 − the interval's level (default 0.05: a 95% interval).
 * @returns the estimate, its standard error, ν, interval and p-value.
 * @throws {MeasurementError} TOO_FEW_CUSTOMERS when a group has fewer than 2 customers;
 *   INVALID_PARAMETER for alpha outside (0, 1).
 * @example
 * welchDifference({ n: 50, mean: 12, sd: 4 }, { n: 40, mean: 10, sd: 5 });
 * // { estimate: 2, standardError: 0.972, df: 73.77, ci: [0.063, 3.937], pValue: 0.0432, alpha: 0.05 }
 */
export function welchDifference(
  treatment: GroupSummary,
  control: GroupSummary,
  alpha = 0.05,
): DifferenceEstimate {
  checkAlpha(alpha);
  checkGroupSizes(treatment, control);
  const estimate = treatment.mean - control.mean;
  const variance =
    (treatment.sd * treatment.sd) / treatment.n + (control.sd * control.sd) / control.n;
  const standardError = Math.sqrt(variance);
  if (standardError === 0) {
    return { estimate, standardError, df: null, ci: null, pValue: null, alpha };
  }
  const df = welchDegreesOfFreedom(treatment, control);
  const margin = studentTQuantile(1 - alpha / 2, df) * standardError;
  const pValue = Math.min(1, 2 * studentTUpperTail(Math.abs(estimate) / standardError, df));
  return {
    estimate,
    standardError,
    df,
    ci: [estimate - margin, estimate + margin],
    pValue,
    alpha,
  };
}
