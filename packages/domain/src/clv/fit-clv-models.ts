import { ClvError } from "./clv-error";
import type { SummaryColumns } from "./customer-summary";
import { fitBgNbd, type BgNbdFit, type FitBgNbdOptions } from "./fit-bg-nbd";
import { fitGammaGamma, type GammaGammaFit } from "./fit-gamma-gamma";
import { weightSummaries } from "./weighted-summaries";

/** BG/NBD and, where spend is known, Gamma-Gamma, fitted on the same customers. */
export interface ClvModels {
  customers: number;
  repeatCustomers: number;
  bgnbd: BgNbdFit;
  /** null when the input has no spend column. */
  gammaGamma: GammaGammaFit | null;
  /** Caveats from the fits (e.g. frequency-spend correlation). */
  warnings: string[];
}

/** Options of {@link fitClvModels}. */
export interface FitClvModelsOptions extends FitBgNbdOptions {
  /**
   * "required" (default): a Gamma-Gamma failure is an error. "optional": it becomes a warning
   * and `gammaGamma` is null, for uses that need only BG/NBD (holdout evaluation).
   */
  spendModel?: "required" | "optional";
}

/**
 * Fits the probabilistic CLV pair: BG/NBD on (x, t_x, T) and Gamma-Gamma on the repeat
 * customers' (x, m̄) when a monetary column is present.
 *
 * @param data per-customer summaries.
 * @param options BG/NBD fit options and whether the spend model may fail.
 * @returns both fits and any warnings.
 * @throws {ClvError} from either fit (no repeat customers, q ≤ 1, no convergence, ...).
 */
export function fitClvModels(data: SummaryColumns, options: FitClvModelsOptions = {}): ClvModels {
  const bgnbd = fitBgNbd(weightSummaries(data), options);
  const warnings: string[] = [];
  let gammaGamma: GammaGammaFit | null = null;
  if (data.monetary) {
    try {
      gammaGamma = fitGammaGamma(data);
      warnings.push(...gammaGamma.warnings);
    } catch (error) {
      if (!(error instanceof ClvError) || options.spendModel !== "optional") throw error;
      warnings.push(`Gamma-Gamma spend model not fitted: ${error.message}`);
    }
  }
  return {
    customers: bgnbd.customers,
    repeatCustomers: bgnbd.repeatCustomers,
    bgnbd,
    gammaGamma,
    warnings,
  };
}
