import {
  invertSymmetricPositiveDefinite,
  MathError,
  minimize,
  numericalHessian,
  type ObjectiveWithGradient,
} from "../math";
import type { GammaGammaParams } from "./bg-nbd-params";
import { ClvError } from "./clv-error";
import type { SummaryColumns } from "./customer-summary";
import { gammaGammaLogLikelihood, type SpendData } from "./gamma-gamma-likelihood";
import { pearsonCorrelation } from "./pearson-correlation";

/** Options of {@link fitGammaGamma}. */
export interface FitGammaGammaOptions {
  /** Start values; default p = q = 1 and v = mean m̄ (so the prior mean spend starts near the data). */
  initial?: GammaGammaParams;
  /** Gradient tolerance on the mean log-likelihood in log-parameters. Default 1e-9. */
  gradientTolerance?: number;
  /**
   * Also converged when the remaining improvement of the TOTAL log-likelihood predicted by the
   * quasi-Newton model is at most this. The default 1e-6 leaves the estimates within about
   * 0.0014 standard errors of the maximum (distance² ≈ 2 × remaining improvement), whatever
   * the number of customers, and stays above the rounding noise of a sum over a million terms.
   */
  logLikelihoodTolerance?: number;
  /** |corr(x, m̄)| at or above which a warning is given. Default 0.3. */
  correlationWarningThreshold?: number;
}

/** The columns Gamma-Gamma reads: each customer's repeat purchases and mean repeat spend. */
export type SpendColumns = Pick<SummaryColumns, "frequency" | "monetary">;

/** A fitted Gamma-Gamma model. */
export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  /** Delta-method standard errors from the log-parameter Hessian; null if not positive definite. */
  standardErrors: GammaGammaParams | null;
  /** Repeat customers with positive mean spend: the customers the model was fitted on. */
  customers: number;
  /** Repeat customers left out because their mean repeat spend is 0. */
  excludedZeroSpend: number;
  /** Pearson correlation of x and m̄ among the customers fitted on. */
  frequencySpendCorrelation: number;
  /** Human-readable caveats (e.g. spend correlates with frequency). */
  warnings: string[];
  iterations: number;
}

/**
 * Fits the Gamma-Gamma spend model by maximum likelihood on repeat customers (x ≥ 1), as
 * prescribed by Fader & Hardie (note 025): BFGS over (ln p, ln q, ln v) with the analytic
 * gradient, Nelder-Mead as a fallback. Repeat customers whose mean repeat spend is 0 cannot be
 * modelled (ln 0) and are left out, counted in `excludedZeroSpend` and named in a warning.
 *
 * The model assumes that spend per transaction is independent of frequency; when
 * |corr(x, m̄)| ≥ 0.3 a warning says so (the fit is still returned).
 *
 * @param data per-customer summaries with a `monetary` column.
 * @param options start values, tolerance and the correlation threshold.
 * @returns estimates, log-likelihood, standard errors and warnings.
 * @throws {ClvError} INVALID_SUMMARY when there is no monetary column; NO_REPEAT_CUSTOMERS
 *   when nobody has x ≥ 1 and positive spend; GAMMA_GAMMA_Q_NOT_ABOVE_ONE when the estimate of
 *   q is ≤ 1 (then E[M] does not exist: spend is too heavy-tailed for this model);
 *   NOT_CONVERGED when the optimiser fails.
 * @example
 * fitGammaGamma(cdnowWithSpend).params; // { p: 6.25, q: 3.74, v: 15.44 } (rounded)
 */
export function fitGammaGamma(
  data: SpendColumns,
  options: FitGammaGammaOptions = {},
): GammaGammaFit {
  if (!data.monetary) {
    throw new ClvError(
      "INVALID_SUMMARY",
      "Gamma-Gamma needs the mean repeat spend (monetary) of each customer",
      {
        field: "monetary",
      },
    );
  }
  const spend = repeatSpend(data.frequency, data.monetary);
  const n = spend.frequency.length;
  if (n === 0) {
    throw new ClvError(
      "NO_REPEAT_CUSTOMERS",
      "no customer has a repeat purchase with positive spend: Gamma-Gamma has nothing to fit",
    );
  }
  if (n < 2) {
    throw new ClvError(
      "TOO_FEW_CUSTOMERS",
      "Gamma-Gamma needs at least 2 repeat customers with positive spend, got 1",
    );
  }
  const warnings: string[] = [];
  if (spend.excluded > 0) {
    warnings.push(
      `${spend.excluded} repeat customer(s) with zero mean repeat spend were left out of the Gamma-Gamma fit`,
    );
  }
  const correlation = pearsonCorrelation(spend.frequency, spend.monetary);
  const threshold = options.correlationWarningThreshold ?? 0.3;
  if (Math.abs(correlation) >= threshold) {
    warnings.push(
      `frequency and mean spend are correlated (r = ${correlation.toFixed(3)}, |r| ≥ ${threshold}): the Gamma-Gamma independence assumption is doubtful`,
    );
  }
  let meanSpend = 0;
  for (let i = 0; i < n; i++) meanSpend += spend.monetary[i]!;
  meanSpend /= n;
  const initial = options.initial ?? { p: 1, q: 1, v: meanSpend };
  const objective: ObjectiveWithGradient = (x, gradient) => {
    const params = { p: Math.exp(x[0]!), q: Math.exp(x[1]!), v: Math.exp(x[2]!) };
    const g = new Float64Array(3);
    const ll = gammaGammaLogLikelihood(params, spend, g);
    gradient[0] = (-g[0]! * params.p) / n;
    gradient[1] = (-g[1]! * params.q) / n;
    gradient[2] = (-g[2]! * params.v) / n;
    return -ll / n;
  };
  let result;
  try {
    result = minimize(objective, [Math.log(initial.p), Math.log(initial.q), Math.log(initial.v)], {
      gradientTolerance: options.gradientTolerance ?? 1e-9,
      // The objective is the mean over customers: scale the total-LL tolerance down by n.
      decrementTolerance: (options.logLikelihoodTolerance ?? 1e-6) / n,
      label: "Gamma-Gamma fit",
    });
  } catch (error) {
    if (error instanceof MathError)
      throw new ClvError("NOT_CONVERGED", describeFailure(error, ["p", "q", "v"]));
    throw error;
  }
  const params = {
    p: Math.exp(result.x[0]!),
    q: Math.exp(result.x[1]!),
    v: Math.exp(result.x[2]!),
  };
  if (!(params.q > 1)) {
    throw new ClvError(
      "GAMMA_GAMMA_Q_NOT_ABOVE_ONE",
      `Gamma-Gamma estimate q = ${params.q.toFixed(4)} is not above 1: the expected spend E[M] does not exist for such heavy-tailed spend`,
      { field: "q" },
    );
  }
  const hessian = numericalHessian(objective, result.x).map((row) => row.map((v) => v * n));
  const covariance = invertSymmetricPositiveDefinite(hessian);
  return {
    params,
    logLikelihood: -result.value * n,
    standardErrors: covariance
      ? {
          p: params.p * Math.sqrt(covariance[0]![0]!),
          q: params.q * Math.sqrt(covariance[1]![1]!),
          v: params.v * Math.sqrt(covariance[2]![2]!),
        }
      : null,
    customers: n,
    excludedZeroSpend: spend.excluded,
    frequencySpendCorrelation: correlation,
    warnings,
    iterations: result.iterations,
  };
}

/** The (x, m̄) pairs of repeat customers with positive spend. */
function repeatSpend(
  frequency: Float64Array,
  monetary: Float64Array,
): SpendData & { excluded: number } {
  let count = 0;
  let excluded = 0;
  for (let i = 0; i < frequency.length; i++) {
    if (frequency[i]! > 0) {
      if (monetary[i]! > 0) count++;
      else excluded++;
    }
  }
  const out = { frequency: new Float64Array(count), monetary: new Float64Array(count), excluded };
  let k = 0;
  for (let i = 0; i < frequency.length; i++) {
    if (frequency[i]! > 0 && monetary[i]! > 0) {
      out.frequency[k] = frequency[i]!;
      out.monetary[k] = monetary[i]!;
      k++;
    }
  }
  return out;
}

/** The optimiser's message plus where it stopped, in natural parameters. */
function describeFailure(error: MathError, names: readonly string[]): string {
  if (!error.lastPoint) return error.message;
  const at = names
    .map((name, i) => `${name}=${Math.exp(error.lastPoint![i]!).toPrecision(4)}`)
    .join(", ");
  return `${error.message}; last estimates ${at} (estimates running off to 0 or infinity mean the data do not identify the model)`;
}
