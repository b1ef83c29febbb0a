import {
  invertSymmetricPositiveDefinite,
  MathError,
  minimize,
  numericalHessian,
  type ObjectiveWithGradient,
} from "../math";
import { bgNbdLogLikelihoodWithGradient } from "./bg-nbd-likelihood";
import type { BgNbdParams } from "./bg-nbd-params";
import { ClvError } from "./clv-error";
import type { SummaryColumns } from "./customer-summary";
import { weightSummaries, type WeightedSummaries } from "./weighted-summaries";

/** Options of {@link fitBgNbd}. */
export interface FitBgNbdOptions {
  /** Start values; by default r = a = b = 1 and α = Σ T / Σ x (so E[λ] starts at the observed rate). */
  initial?: BgNbdParams;
  /**
   * Convergence test on the gradient of the MEAN log-likelihood per customer with respect to
   * the log-parameters. Default 1e-9.
   */
  gradientTolerance?: number;
  /**
   * Also converged when the remaining improvement of the TOTAL log-likelihood predicted by the
   * quasi-Newton model is at most this. The default 1e-6 leaves the estimates within about
   * 0.0014 standard errors of the maximum (distance² ≈ 2 × remaining improvement), whatever
   * the number of customers, and stays above the rounding noise of a sum over a million terms.
   */
  logLikelihoodTolerance?: number;
  /** Fewest customers accepted. Default 2 (four parameters cannot be learnt from one person). */
  minCustomers?: number;
}

/** A fitted BG/NBD model. */
export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  /**
   * Asymptotic standard errors from the inverse Hessian of the negative log-likelihood in
   * log-parameters, mapped back by the delta method (SE(θ) = θ · SE(ln θ)); `null` when the
   * Hessian is not positive definite.
   */
  standardErrors: BgNbdParams | null;
  customers: number;
  repeatCustomers: number;
  /** Distinct (x, t_x, T) rows actually evaluated. */
  distinctRows: number;
  iterations: number;
  /** "bfgs", or "nelder-mead" when the fallback was needed. */
  method: string;
}

const NAMES = ["r", "alpha", "a", "b"] as const;

/**
 * Fits BG/NBD by maximum likelihood (FHL 2005 §3): BFGS on (ln r, ln α, ln a, ln b) with the
 * analytic gradient, Nelder-Mead as a fallback, identical (x, t_x, T) rows evaluated once with
 * a weight.
 *
 * @param data per-customer summaries (columns), or already weighted rows.
 * @param options start values and tolerance.
 * @returns estimates, log-likelihood and standard errors.
 * @throws {ClvError} EMPTY_INPUT / TOO_FEW_CUSTOMERS for too little data; NO_REPEAT_CUSTOMERS
 *   when nobody bought twice (the likelihood then grows without bound as p → 1: there is
 *   nothing to fit); NOT_CONVERGED when the optimiser fails.
 * @example
 * fitBgNbd(cdnowColumns).params; // { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } (rounded)
 */
export function fitBgNbd(
  data: SummaryColumns | WeightedSummaries,
  options: FitBgNbdOptions = {},
): BgNbdFit {
  const weighted = "weight" in data ? data : weightSummaries(data);
  const minCustomers = options.minCustomers ?? 2;
  if (weighted.customers === 0) throw new ClvError("EMPTY_INPUT", "no customers to fit BG/NBD on");
  if (weighted.customers < minCustomers) {
    throw new ClvError(
      "TOO_FEW_CUSTOMERS",
      `BG/NBD needs at least ${minCustomers} customers, got ${weighted.customers}`,
    );
  }
  let repeatCustomers = 0;
  let sumX = 0;
  let sumT = 0;
  for (let i = 0; i < weighted.frequency.length; i++) {
    const w = weighted.weight[i]!;
    if (weighted.frequency[i]! > 0) repeatCustomers += w;
    sumX += w * weighted.frequency[i]!;
    sumT += w * weighted.T[i]!;
  }
  if (repeatCustomers === 0) {
    throw new ClvError(
      "NO_REPEAT_CUSTOMERS",
      `none of the ${weighted.customers} customers made a repeat purchase in the calibration period: BG/NBD has nothing to fit`,
    );
  }
  if (sumT === 0) {
    throw new ClvError(
      "INVALID_SUMMARY",
      "every customer has T = 0: no observation time to fit on",
    );
  }
  const initial = options.initial ?? { r: 1, alpha: sumT / sumX, a: 1, b: 1 };
  for (const name of NAMES) {
    if (!(initial[name] > 0) || !Number.isFinite(initial[name])) {
      throw new ClvError(
        "INVALID_PARAMETER",
        `initial ${name} must be a positive number (got ${initial[name]})`,
        {
          field: name,
        },
      );
    }
  }
  const total = weighted.customers;
  const objective = meanNegativeLogLikelihood(weighted);
  let result;
  try {
    result = minimize(
      objective,
      NAMES.map((name) => Math.log(initial[name])),
      {
        gradientTolerance: options.gradientTolerance ?? 1e-9,
        // The objective is the mean over customers: scale the total-LL tolerance down by N.
        decrementTolerance: (options.logLikelihoodTolerance ?? 1e-6) / total,
        label: "BG/NBD fit",
      },
    );
  } catch (error) {
    if (error instanceof MathError)
      throw new ClvError("NOT_CONVERGED", describeFailure(error, ["r", "alpha", "a", "b"]));
    throw error;
  }
  const params = fromLog(result.x);
  const hessian = numericalHessian(objective, result.x).map((row) => row.map((v) => v * total));
  const covariance = invertSymmetricPositiveDefinite(hessian);
  const standardErrors = covariance
    ? {
        r: params.r * Math.sqrt(covariance[0]![0]!),
        alpha: params.alpha * Math.sqrt(covariance[1]![1]!),
        a: params.a * Math.sqrt(covariance[2]![2]!),
        b: params.b * Math.sqrt(covariance[3]![3]!),
      }
    : null;
  return {
    params,
    logLikelihood: -result.value * total,
    standardErrors,
    customers: total,
    repeatCustomers,
    distinctRows: weighted.frequency.length,
    iterations: result.iterations,
    method: result.method,
  };
}

function fromLog(x: readonly number[]): BgNbdParams {
  return { r: Math.exp(x[0]!), alpha: Math.exp(x[1]!), a: Math.exp(x[2]!), b: Math.exp(x[3]!) };
}

/** −(1/N) ln L as a function of log-parameters, with its gradient (chain rule: ∂/∂ln θ = θ ∂/∂θ). */
function meanNegativeLogLikelihood(data: WeightedSummaries): ObjectiveWithGradient {
  const scratch = new Float64Array(4);
  const n = data.customers;
  return (x, gradient) => {
    const params = fromLog(Array.from(x));
    const ll = bgNbdLogLikelihoodWithGradient(params, data, scratch);
    gradient[0] = (-scratch[0]! * params.r) / n;
    gradient[1] = (-scratch[1]! * params.alpha) / n;
    gradient[2] = (-scratch[2]! * params.a) / n;
    gradient[3] = (-scratch[3]! * params.b) / n;
    return -ll / n;
  };
}

/** The optimiser's message plus where it stopped, in natural parameters. */
function describeFailure(error: MathError, names: readonly string[]): string {
  if (!error.lastPoint) return error.message;
  const at = names
    .map((name, i) => `${name}=${Math.exp(error.lastPoint![i]!).toPrecision(4)}`)
    .join(", ");
  return `${error.message}; last estimates ${at} (estimates running off to 0 or infinity mean the data do not identify the model)`;
}
