import { splitGroups, type ExperimentGroup } from "./assignment-groups";
import { summarizeGroup, type GroupSummary } from "./group-summary";
import { MeasurementError } from "./measurement-error";
import { welchDifference, type DifferenceEstimate } from "./welch-difference";

/** A pre-experiment covariate: one value per customer, in the same order as the outcome. */
export interface Covariate {
  name: string;
  values: ArrayLike<number>;
}

/** The outcome after CUPED adjustment, compared between groups. */
export interface CupedResult extends DifferenceEstimate {
  /** Regression coefficient of the outcome on each covariate used (pooled within groups). */
  theta: Record<string, number>;
  /** Covariates used, in input order. */
  covariates: string[];
  /** Covariates left out: constant, or a linear combination of those before them. */
  dropped: string[];
  /**
   * 1 − Var(adjusted Δ)/Var(unadjusted Δ): the share of the estimate's variance removed (about
   * ρ² for one covariate of correlation ρ). null when the unadjusted variance is 0.
   */
  varianceReduction: number | null;
  treatment: GroupSummary;
  control: GroupSummary;
  /** The adjusted outcome per customer, y − (x − x̄)·θ, in input order. */
  adjusted: Float64Array;
}

// A covariate whose variance left after the ones before it is below this share of its own
// variance adds nothing (or is an exact combination of them) and is dropped.
const COLLINEAR = 1e-10;

/**
 * CUPED (Deng, Xu, Kohavi & Walker 2013, "Improving the Sensitivity of Online Controlled
 * Experiments by Utilizing Pre-Experiment Data", WSDM): removes from each customer's outcome the
 * part predicted by pre-experiment covariates, y' = y − Σ θ_j (x_j − x̄_j), then compares y'
 * between the groups with the Welch interval. Because the covariates were fixed before
 * assignment, their group means differ only by chance and the estimate stays unbiased; its
 * variance falls by the share of the outcome's variance the covariates explain.
 *
 * θ is the least-squares coefficient of y on the covariates pooled over both groups with each
 * group centred on its own means (equivalently, a regression with a treatment indicator), so a
 * treatment effect does not leak into θ. With several covariates this is the regression
 * adjustment Lin (2013, "Agnostic notes on regression adjustments to experimental data", Annals
 * of Applied Statistics 7(1)) analyses, with one slope shared by both groups. The uncertainty
 * of θ itself is ignored, as in the paper; it is of order 1/n.
 *
 * @param groups per-customer group.
 * @param outcome per-customer outcome.
 * @param covariates one or more covariates, each with a value per customer.
 * @param alpha 1 − the interval's level.
 * @returns the adjusted difference, θ, the variance reduction and the adjusted outcomes.
 * @throws {MeasurementError} INVALID_SHAPE when lengths differ or no covariate is given;
 *   INVALID_NUMBER for a non-finite value; INVALID_GROUP; TOO_FEW_CUSTOMERS.
 * @example
 * cupedAdjust(groups, revenue, [{ name: "pre_spend", values: preSpend }]).varianceReduction; // ≈ 0.49 when ρ = 0.7
 */
export function cupedAdjust(
  groups: ArrayLike<ExperimentGroup>,
  outcome: ArrayLike<number>,
  covariates: readonly Covariate[],
  alpha = 0.05,
): CupedResult {
  const n = outcome.length;
  if (groups.length !== n) {
    throw new MeasurementError(
      "INVALID_SHAPE",
      `groups has ${groups.length} values and the outcome ${n}: one of each per customer`,
      { field: "groups" },
    );
  }
  if (covariates.length === 0) {
    throw new MeasurementError("INVALID_SHAPE", "CUPED needs at least one covariate", {
      field: "covariates",
    });
  }
  for (const c of covariates) {
    if (c.values.length !== n) {
      throw new MeasurementError(
        "INVALID_SHAPE",
        `covariate ${c.name} has ${c.values.length} values and the outcome ${n}: one of each per customer`,
        { field: c.name },
      );
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(c.values[i]!)) {
        throw new MeasurementError(
          "INVALID_NUMBER",
          `covariate ${c.name}[${i}] must be a finite number (got ${c.values[i]})`,
          { index: i, field: c.name },
        );
      }
    }
  }
  const split = splitGroups(groups);
  const unadjusted = welchDifference(
    summarizeGroup(
      Array.from(split.treatment, (i) => outcome[i]!),
      "outcome",
    ),
    summarizeGroup(
      Array.from(split.control, (i) => outcome[i]!),
      "outcome",
    ),
    alpha,
  );

  const k = covariates.length;
  // Group means of y and of each covariate, and overall covariate means.
  const isTreated = new Uint8Array(n);
  for (const i of split.treatment) isTreated[i] = 1;
  const counts = [split.control.length, split.treatment.length];
  const yMean = [0, 0];
  const xMean = [new Float64Array(k), new Float64Array(k)];
  const xOverall = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const g = isTreated[i]!;
    yMean[g]! += outcome[i]!;
    for (let j = 0; j < k; j++) xMean[g]![j]! += covariates[j]!.values[i]!;
  }
  for (let j = 0; j < k; j++) {
    xOverall[j] = (xMean[0]![j]! + xMean[1]![j]!) / n;
    for (const g of [0, 1]) xMean[g]![j]! /= counts[g]!;
  }
  for (const g of [0, 1]) yMean[g]! /= counts[g]!;

  // Pooled within-group cross products Sxx (k × k) and Sxy (k).
  const sxx = new Float64Array(k * k);
  const sxy = new Float64Array(k);
  const dx = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const g = isTreated[i]!;
    const dy = outcome[i]! - yMean[g]!;
    for (let j = 0; j < k; j++) dx[j] = covariates[j]!.values[i]! - xMean[g]![j]!;
    for (let j = 0; j < k; j++) {
      sxy[j]! += dx[j]! * dy;
      for (let l = 0; l <= j; l++) sxx[j * k + l]! += dx[j]! * dx[l]!;
    }
  }
  const { theta, used } = solveDroppingCollinear(sxx, sxy, k);

  const adjusted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = outcome[i]!;
    for (const j of used) v -= theta[j]! * (covariates[j]!.values[i]! - xOverall[j]!);
    adjusted[i] = v;
  }
  const treatment = summarizeGroup(Array.from(split.treatment, (i) => adjusted[i]!));
  const control = summarizeGroup(Array.from(split.control, (i) => adjusted[i]!));
  const difference = welchDifference(treatment, control, alpha);
  const rawVariance = unadjusted.standardError ** 2;
  return {
    ...difference,
    theta: Object.fromEntries(used.map((j) => [covariates[j]!.name, theta[j]!])),
    covariates: used.map((j) => covariates[j]!.name),
    dropped: covariates.filter((_, j) => !used.includes(j)).map((c) => c.name),
    varianceReduction: rawVariance === 0 ? null : 1 - difference.standardError ** 2 / rawVariance,
    treatment,
    control,
    adjusted,
  };
}

/**
 * Solves Sxx·θ = Sxy (Sxx symmetric, lower triangle filled) by a Cholesky factorisation that
 * skips a covariate whose pivot is negligible next to its own variance (constant, or a linear
 * combination of the covariates before it). Skipped covariates get θ = 0.
 */
function solveDroppingCollinear(
  sxx: Float64Array,
  sxy: Float64Array,
  k: number,
): { theta: Float64Array; used: number[] } {
  const used: number[] = [];
  // L for the used covariates only, in the order they were accepted.
  const L: number[][] = [];
  for (let j = 0; j < k; j++) {
    const row: number[] = [];
    for (let a = 0; a < used.length; a++) {
      let s = sxx[j * k + used[a]!]!;
      for (let b = 0; b < a; b++) s -= row[b]! * L[a]![b]!;
      row.push(s / L[a]![a]!);
    }
    let pivot = sxx[j * k + j]!;
    for (const v of row) pivot -= v * v;
    if (!(pivot > COLLINEAR * sxx[j * k + j]!) || sxx[j * k + j]! === 0) continue;
    row.push(Math.sqrt(pivot));
    L.push(row);
    used.push(j);
  }
  const m = used.length;
  // Forward then back substitution.
  const z = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    let s = sxy[used[a]!]!;
    for (let b = 0; b < a; b++) s -= L[a]![b]! * z[b]!;
    z[a] = s / L[a]![a]!;
  }
  const solution = new Float64Array(m);
  for (let a = m - 1; a >= 0; a--) {
    let s = z[a]!;
    for (let b = a + 1; b < m; b++) s -= L[b]![a]! * solution[b]!;
    solution[a] = s / L[a]![a]!;
  }
  const theta = new Float64Array(k);
  used.forEach((j, a) => (theta[j] = solution[a]!));
  return { theta, used };
}
