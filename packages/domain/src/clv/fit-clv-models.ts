import { ClvError } from "./clv-error";
import type { SummaryColumns } from "./customer-summary";
import { fitBgNbd, type BgNbdFit, type FitBgNbdOptions } from "./fit-bg-nbd";
import { fitGammaGamma, type GammaGammaFit, type SpendColumns } from "./fit-gamma-gamma";
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
  let spend: SpendOutcome | null = null;
  if (data.monetary) {
    try {
      spend = { ok: true, fit: fitGammaGamma(data) };
    } catch (error) {
      spend = { ok: false, error };
    }
  }
  return assemble(bgnbd, spend, options);
}

/**
 * Fits Gamma-Gamma somewhere else, another thread for instance, and answers with the fit or
 * with the error {@link fitGammaGamma} threw (a ClvError with its code).
 */
export type SpendFitter = (spend: Required<SpendColumns>) => Promise<GammaGammaFit>;

/**
 * {@link fitClvModels} with Gamma-Gamma handed to `fitSpend` before BG/NBD is fitted on this
 * thread, so that the two fits run side by side. The results, the warnings and the errors are
 * those of {@link fitClvModels}: when both fits fail, the BG/NBD error is the one thrown.
 *
 * @param data per-customer summaries.
 * @param fitSpend fits Gamma-Gamma on the repeat purchases and spend columns.
 * @param options as for {@link fitClvModels}.
 */
export async function fitClvModelsAlongside(
  data: SummaryColumns,
  fitSpend: SpendFitter,
  options: FitClvModelsOptions = {},
): Promise<ClvModels> {
  // Settled into an outcome at once: a spend failure never goes unhandled while BG/NBD runs
  // or when BG/NBD throws.
  const spend: Promise<SpendOutcome | null> = data.monetary
    ? fitSpend({ frequency: data.frequency, monetary: data.monetary }).then(
        (fit): SpendOutcome => ({ ok: true, fit }),
        (error: unknown): SpendOutcome => ({ ok: false, error }),
      )
    : Promise.resolve(null);
  const bgnbd = fitBgNbd(weightSummaries(data), options);
  return assemble(bgnbd, await spend, options);
}

type SpendOutcome = { ok: true; fit: GammaGammaFit } | { ok: false; error: unknown };

function assemble(
  bgnbd: BgNbdFit,
  spend: SpendOutcome | null,
  options: FitClvModelsOptions,
): ClvModels {
  const warnings: string[] = [];
  let gammaGamma: GammaGammaFit | null = null;
  if (spend?.ok) {
    gammaGamma = spend.fit;
    warnings.push(...gammaGamma.warnings);
  } else if (spend) {
    const { error } = spend;
    if (!(error instanceof ClvError) || options.spendModel !== "optional") throw error;
    warnings.push(`Gamma-Gamma spend model not fitted: ${error.message}`);
  }
  return {
    customers: bgnbd.customers,
    repeatCustomers: bgnbd.repeatCustomers,
    bgnbd,
    gammaGamma,
    warnings,
  };
}
