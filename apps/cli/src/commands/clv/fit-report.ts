import type { ClvModels, TimeUnit } from "@valuetier/domain";
import { finiteOrNull } from "./clv-options";

/** The `clv fit --json` document (CONTRACTS.md). */
export interface FitReport {
  customers: number;
  repeatCustomers: number;
  timeUnit: TimeUnit;
  bgnbd: {
    r: number;
    alpha: number;
    a: number;
    b: number;
    logLikelihood: number;
    standardErrors: {
      r: number | null;
      alpha: number | null;
      a: number | null;
      b: number | null;
    } | null;
  };
  gammaGamma: { p: number; q: number; v: number } | null;
}

/** Builds the fit document from fitted models; estimates are reported unrounded. */
export function fitReport(models: ClvModels, timeUnit: TimeUnit): FitReport {
  const { params, logLikelihood, standardErrors } = models.bgnbd;
  return {
    customers: models.customers,
    repeatCustomers: models.repeatCustomers,
    timeUnit,
    bgnbd: {
      ...params,
      logLikelihood,
      standardErrors: standardErrors
        ? {
            r: finiteOrNull(standardErrors.r),
            alpha: finiteOrNull(standardErrors.alpha),
            a: finiteOrNull(standardErrors.a),
            b: finiteOrNull(standardErrors.b),
          }
        : null,
    },
    gammaGamma: models.gammaGamma ? { ...models.gammaGamma.params } : null,
  };
}

/** Human-readable lines of a fit report. */
export function describeFit(report: FitReport): string {
  const se = report.bgnbd.standardErrors;
  const fmt = (v: number, e: number | null | undefined): string =>
    e === null || e === undefined ? v.toFixed(4) : `${v.toFixed(4)} (± ${e.toFixed(4)})`;
  const lines = [
    `customers: ${report.customers} (${report.repeatCustomers} with repeat purchases), time unit: ${report.timeUnit}`,
    `BG/NBD: r = ${fmt(report.bgnbd.r, se?.r)}, alpha = ${fmt(report.bgnbd.alpha, se?.alpha)}, a = ${fmt(report.bgnbd.a, se?.a)}, b = ${fmt(report.bgnbd.b, se?.b)}`,
    `        log-likelihood = ${report.bgnbd.logLikelihood.toFixed(2)}`,
    report.gammaGamma
      ? `Gamma-Gamma: p = ${report.gammaGamma.p.toFixed(4)}, q = ${report.gammaGamma.q.toFixed(4)}, v = ${report.gammaGamma.v.toFixed(4)}`
      : "Gamma-Gamma: not fitted (no spend in the input)",
  ];
  return lines.join("\n") + "\n";
}
