import type { ExperimentGroup } from "./assignment-groups";
import {
  confidenceSequence,
  mixingVarianceFor,
  sequentialVariance,
  type ConfidenceSequenceResult,
} from "./confidence-sequence";
import { summaryFromMoments, type GroupSummary } from "./group-summary";
import { checkAlpha, MeasurementError } from "./measurement-error";
import { welchDifference, type DifferenceEstimate } from "./welch-difference";

/**
 * Sufficient statistics of one group for a per-customer outcome y and k covariates x, taken
 * about the group's origin (y − o_y, x − o_x; see {@link UpliftMoments.origin}):
 * n, Σy, Σy², Σx_j, Σx_j·x_l (k × k, row-major, both triangles) and Σx_j·y. Every statistic of
 * {@link upliftFromMoments} is a function of these, so a caller that adds customers, or orders
 * to a customer, one at a time can keep them up to date instead of every value.
 */
export interface UpliftMoments {
  n: number;
  sumY: number;
  sumY2: number;
  /** Σx_j, length k. */
  sumX: ArrayLike<number>;
  /** Σx_j·x_l, length k·k, row-major. */
  sumXX: ArrayLike<number>;
  /** Σx_j·y, length k. */
  sumXY: ArrayLike<number>;
  /**
   * The values the sums were taken about (default 0). Sums about a value near the data (the
   * group's first customer's, say) keep variances exact to rounding where sums of raw amounts
   * would cancel, and a constant column sums to exactly 0.
   */
  origin?: { outcome: number; covariates: ArrayLike<number> };
}

export interface UpliftMomentsInput {
  treatment: UpliftMoments;
  control: UpliftMoments;
  /** Covariate names, in column order (length k; empty for no CUPED). */
  covariates: readonly string[];
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
  /**
   * 1 − Var(adjusted Δ)/Var(unadjusted Δ): the share of the estimate's variance removed (about
   * ρ² for one covariate of correlation ρ). null when the unadjusted variance is 0.
   */
  varianceReduction: number | null;
  /** Regression coefficient of the outcome on each covariate used (pooled within groups). */
  theta: Record<string, number>;
  /** Covariates used, in input order. */
  covariates: string[];
  /** Covariates left out: constant, or a linear combination of those before them. */
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

/** The CUPED comparison from moments, with what the per-customer adjustment needs. */
export interface CupedEstimate extends AdjustedEstimate {
  /** Summaries of the adjusted outcome y − (x − x̄)·θ per group. */
  treatment: GroupSummary;
  control: GroupSummary;
  /** θ per covariate column (0 for a dropped one) and the overall covariate means x̄. */
  thetaByColumn: Float64Array;
  covariateMeans: Float64Array;
}

// A covariate whose variance left after the ones before it is below this share of its own
// variance adds nothing (or is an exact combination of them) and is dropped. A covariate whose
// own within-group variance is below ROUNDING of its second moment about the origin is constant
// up to the rounding of the sums, and is dropped too.
const COLLINEAR = 1e-10;
const ROUNDING = 1e-12;

/**
 * The moments of each group about its first customer's values (so a constant column sums to
 * exactly 0), one pass. Values must already be checked finite.
 *
 * @param groups per-customer group ("treatment" or "control").
 * @param outcome per-customer outcome.
 * @param covariates per-covariate columns, each as long as the outcome.
 * @returns both groups' moments, each with its origin.
 */
export function collectMoments(
  groups: ArrayLike<ExperimentGroup>,
  outcome: ArrayLike<number>,
  covariates: readonly { name: string; values: ArrayLike<number> }[],
): UpliftMomentsInput {
  const n = outcome.length;
  const k = covariates.length;
  const empty = () => ({
    n: 0,
    sumY: 0,
    sumY2: 0,
    sumX: new Float64Array(k),
    sumXX: new Float64Array(k * k),
    sumXY: new Float64Array(k),
    origin: { outcome: 0, covariates: new Float64Array(k) },
  });
  const treatment = empty();
  const control = empty();
  const dx = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const group = groups[i];
    if (group !== "treatment" && group !== "control") {
      throw new MeasurementError(
        "INVALID_GROUP",
        `groups[${i}] must be "treatment" or "control" (got ${JSON.stringify(group)})`,
        { index: i, field: "groups" },
      );
    }
    const m = group === "treatment" ? treatment : control;
    if (m.n === 0) {
      m.origin.outcome = outcome[i]!;
      for (let j = 0; j < k; j++) m.origin.covariates[j] = covariates[j]!.values[i]!;
    }
    const origin = m.origin;
    const y = outcome[i]! - origin.outcome;
    m.n += 1;
    m.sumY += y;
    m.sumY2 += y * y;
    for (let j = 0; j < k; j++) dx[j] = covariates[j]!.values[i]! - origin.covariates[j]!;
    for (let j = 0; j < k; j++) {
      m.sumX[j]! += dx[j]!;
      m.sumXY[j]! += dx[j]! * y;
      for (let l = 0; l < k; l++) m.sumXX[j * k + l]! += dx[j]! * dx[l]!;
    }
  }
  return { treatment, control, covariates: covariates.map((c) => c.name) };
}

/**
 * A group's size, mean and sample standard deviation of the outcome from its moments.
 *
 * @param m the group's moments.
 * @returns the summary (sd clamped at 0 against rounding; NaN for an empty group).
 */
export function summaryOfMoments(m: UpliftMoments): GroupSummary {
  return summaryFromMoments({ n: m.n, sum: m.sumY, sumOfSquares: m.sumY2 }, m.origin?.outcome);
}

function checkShape(input: UpliftMomentsInput): number {
  const k = input.covariates.length;
  for (const name of ["treatment", "control"] as const) {
    const m = input[name];
    if (
      m.sumX.length !== k ||
      m.sumXY.length !== k ||
      m.sumXX.length !== k * k ||
      !Number.isSafeInteger(m.n) ||
      m.n < 0
    ) {
      throw new MeasurementError(
        "INVALID_SHAPE",
        `${name} moments must have n a whole number ≥ 0, ${k} sums of x and of x·y and ${k * k} of x·x (one per covariate${k === 1 ? "" : " pair"})`,
        { field: name },
      );
    }
  }
  for (const name of ["treatment", "control"] as const) {
    const origin = input[name].origin;
    if (origin && origin.covariates.length !== k) {
      throw new MeasurementError(
        "INVALID_SHAPE",
        `${name}.origin.covariates has ${origin.covariates.length} values for ${k} covariates`,
        { field: `${name}.origin` },
      );
    }
  }
  return k;
}

/**
 * CUPED (Deng, Xu, Kohavi & Walker 2013) from group moments: θ is the least-squares coefficient
 * of y on the covariates pooled over both groups with each group centred on its own means, so a
 * treatment effect does not leak into θ; the adjusted outcome y − Σθ_j(x_j − x̄_j) has group
 * mean ȳ_g − Σθ_j(x̄_gj − x̄_j) and within-group sum of squares S_yy − 2θ·S_xy + θᵀS_xxθ, then the
 * Welch interval compares it. See {@link cupedAdjust} for the method.
 *
 * @param input both groups' moments (k ≥ 1 covariates).
 * @param alpha 1 − the interval's level.
 * @returns the adjusted comparison, θ, the columns used and dropped, and the group summaries.
 * @throws {MeasurementError} INVALID_SHAPE; TOO_FEW_CUSTOMERS when a group has under 2.
 */
export function cupedFromMoments(input: UpliftMomentsInput, alpha = 0.05): CupedEstimate {
  const k = checkShape(input);
  if (k === 0) {
    throw new MeasurementError("INVALID_SHAPE", "CUPED needs at least one covariate", {
      field: "covariates",
    });
  }
  const groups = [input.control, input.treatment];
  const unadjusted = welchDifference(
    summaryOfMoments(input.treatment),
    summaryOfMoments(input.control),
    alpha,
  );
  const n = input.treatment.n + input.control.n;
  // Per group: means about the origin and within-group cross products.
  const yMean = groups.map((m) => m.sumY / m.n);
  const xMean = groups.map((m) => Float64Array.from(m.sumX, (s) => s / m.n));
  const syy = groups.map((m, g) => m.sumY2 - m.sumY * yMean[g]!);
  const sxyG = groups.map((m, g) =>
    Float64Array.from(m.sumXY, (s, j) => s - m.n * xMean[g]![j]! * yMean[g]!),
  );
  const sxxG = groups.map((m, g) =>
    Float64Array.from(
      m.sumXX,
      (s, jl) => s - m.n * xMean[g]![Math.floor(jl / k)]! * xMean[g]![jl % k]!,
    ),
  );
  const sxx = new Float64Array(k * k);
  const sxy = new Float64Array(k);
  const scale = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    sxy[j] = sxyG[0]![j]! + sxyG[1]![j]!;
    scale[j] = groups[0]!.sumXX[j * k + j]! + groups[1]!.sumXX[j * k + j]!;
    for (let l = 0; l < k; l++) sxx[j * k + l] = sxxG[0]![j * k + l]! + sxxG[1]![j * k + l]!;
  }
  const { theta, used } = solveDroppingCollinear(sxx, sxy, k, scale);
  // Group means of each covariate on the original scale, and the overall means.
  const xGroup = groups.map((m, g) =>
    Float64Array.from(xMean[g]!, (v, j) => (m.origin?.covariates[j] ?? 0) + v),
  );
  const covariateMeans = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    covariateMeans[j] = (groups[0]!.n * xGroup[0]![j]! + groups[1]!.n * xGroup[1]![j]!) / n;
  }
  const adjustedSummary = (g: 0 | 1): GroupSummary => {
    const m = groups[g]!;
    let mean = (m.origin?.outcome ?? 0) + yMean[g]!;
    let ss = syy[g]!;
    for (const j of used) {
      mean -= theta[j]! * (xGroup[g]![j]! - covariateMeans[j]!);
      ss -= 2 * theta[j]! * sxyG[g]![j]!;
      for (const l of used) ss += theta[j]! * theta[l]! * sxxG[g]![j * k + l]!;
    }
    return { n: m.n, mean, sd: m.n > 1 ? Math.sqrt(Math.max(0, ss) / (m.n - 1)) : 0 };
  };
  const treatment = adjustedSummary(1);
  const control = adjustedSummary(0);
  const difference = welchDifference(treatment, control, alpha);
  const rawVariance = unadjusted.standardError ** 2;
  const names = input.covariates;
  return {
    ...difference,
    theta: Object.fromEntries(used.map((j) => [names[j]!, theta[j]!])),
    covariates: used.map((j) => names[j]!),
    dropped: names.filter((_, j) => !used.includes(j)),
    varianceReduction: rawVariance === 0 ? null : 1 - difference.standardError ** 2 / rawVariance,
    treatment,
    control,
    thetaByColumn: theta,
    covariateMeans,
  };
}

/**
 * Treatment vs control on one per-customer metric from each group's sufficient statistics
 * (see {@link UpliftMoments}): the Welch difference, the CUPED-adjusted one when covariates are
 * given, and the always-valid confidence sequence — the one implementation behind
 * {@link measureUplift}, for callers that keep running sums (a campaign's daily timeline).
 *
 * @param input both groups' moments and the covariate names.
 * @param options alpha and the confidence sequence's mixing variance or planned sizes.
 * @returns the result; see {@link UpliftResult}.
 * @throws {MeasurementError} INVALID_SHAPE, TOO_FEW_CUSTOMERS (a group under 2), INVALID_PARAMETER.
 * @example
 * upliftFromMoments({ treatment, control, covariates: ["pre_revenue"] }, { planned: { treatment: 900, control: 100 } });
 */
export function upliftFromMoments(
  input: UpliftMomentsInput,
  options: UpliftOptions = {},
): UpliftResult {
  const alpha = options.alpha ?? 0.05;
  checkAlpha(alpha);
  const k = checkShape(input);
  const treatment = summaryOfMoments(input.treatment);
  const control = summaryOfMoments(input.control);
  const effect = welchDifference(treatment, control, alpha);

  let adjusted: AdjustedEstimate | null = null;
  let basis = { estimate: effect.estimate, t: treatment, c: control };
  if (k > 0) {
    const {
      treatment: t,
      control: c,
      thetaByColumn: _theta,
      covariateMeans: _means,
      ...estimate
    } = cupedFromMoments(input, alpha);
    adjusted = estimate;
    basis = { estimate: estimate.estimate, t, c };
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

/**
 * Solves Sxx·θ = Sxy (Sxx symmetric) by a Cholesky factorisation that skips a covariate whose
 * pivot is negligible next to its own variance (constant, or a linear combination of the
 * covariates before it), or whose variance is rounding next to its second moment `scale`.
 * Skipped covariates get θ = 0.
 */
function solveDroppingCollinear(
  sxx: Float64Array,
  sxy: Float64Array,
  k: number,
  scale: Float64Array,
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
    const own = sxx[j * k + j]!;
    let pivot = own;
    for (const v of row) pivot -= v * v;
    if (!(pivot > COLLINEAR * own) || !(own > ROUNDING * scale[j]!)) continue;
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
