import { bgNbdConditionalExpectedPurchases } from "./bg-nbd-conditional-expected-purchases";
import { ClvError } from "./clv-error";
import { toSummaryColumns } from "./customer-summary";
import { fitClvModels, type ClvModels } from "./fit-clv-models";
import { forecastAccuracy } from "./forecast-accuracy";
import { groupPurchaseDays, isoDay, toDayNumber, type Transaction } from "./purchase-days";
import { summarizeGrouped } from "./summarize-transactions";
import { daysPerUnit, type TimeUnit } from "./time-unit";
import { valuesPerCustomer, weightSummaries } from "./weighted-summaries";

/** Options of {@link evaluateHoldout}. */
export interface HoldoutOptions {
  /** Last day of calibration (inclusive). */
  calibrationEnd: Date | number;
  /** Last day of the holdout (inclusive). Default: the last purchase day in the data. */
  holdoutEnd?: Date | number;
  timeUnit: TimeUnit;
  /** Reference "today" for the future-date checks. */
  now?: Date | number;
}

/** One step of the cumulative tracking series. */
export interface TrackingPoint {
  /** Period number within the holdout, 1-based (period 1 = the first time unit after calibration). */
  period: number;
  /** Cumulative actual repeat transactions up to the end of this period. */
  actual: number;
  /** Cumulative predicted repeat transactions (Σ over customers of E[Y(t)]). */
  predicted: number;
}

/** Result of a holdout evaluation. */
export interface HoldoutEvaluation {
  calibration: ClvModels;
  holdout: {
    /** Number of tracking periods (holdout length in time units, rounded up). */
    periods: number;
    /** Holdout length in time units (may be fractional for months). */
    length: number;
    actual: number;
    predicted: number;
    rmse: number;
    mae: number;
    correlation: number;
  };
  tracking: TrackingPoint[];
  /** Per-customer actual and predicted holdout repeat transactions. */
  customers: { customerId: string; actual: number; predicted: number }[];
}

/**
 * Holdout validation as in FHL 2005 §4: fit BG/NBD (and Gamma-Gamma) on purchases up to the
 * calibration end, forecast each calibration customer's repeat transactions over the holdout
 * with E[Y(t) | x, t_x, T], and compare with what happened, per customer (RMSE, MAE,
 * correlation), in total, and as a cumulative tracking series per time unit. The Gamma-Gamma
 * spend model is fitted too when it can be; if it cannot, the evaluation (which needs only
 * BG/NBD) goes on with a warning. Customers first
 * seen in the holdout are not in the comparison (the model forecasts existing customers).
 * Same-day purchases count once.
 *
 * @param transactions all purchases (calibration and holdout).
 * @param options calibration end, holdout end, unit, now.
 * @returns the calibration fit, holdout totals and errors, tracking series and per-customer
 *   figures.
 * @throws {ClvError} the input errors of summarizeTransactions; INVALID_PARAMETER when the
 *   holdout end is not after the calibration end; FUTURE_DATE for a holdout end after `now`;
 *   the fit errors of fitBgNbd / fitGammaGamma.
 */
export function evaluateHoldout(
  transactions: readonly Transaction[],
  options: HoldoutOptions,
): HoldoutEvaluation {
  const grouped = groupPurchaseDays(transactions, options.now);
  const end = toDayNumber(options.calibrationEnd, "calibration end");
  let lastDay = Number.NEGATIVE_INFINITY;
  for (const { days } of grouped.values()) lastDay = Math.max(lastDay, days[days.length - 1]!);
  const holdoutEnd =
    options.holdoutEnd === undefined ? lastDay : toDayNumber(options.holdoutEnd, "holdout end");
  if (holdoutEnd <= end) {
    throw new ClvError(
      "INVALID_PARAMETER",
      `holdout end ${isoDay(holdoutEnd)} must be after the calibration end ${isoDay(end)}`,
      { field: "holdoutEnd" },
    );
  }
  if (options.now !== undefined && holdoutEnd > toDayNumber(options.now, "now")) {
    throw new ClvError("FUTURE_DATE", `holdout end ${isoDay(holdoutEnd)} is after today`, {
      field: "holdoutEnd",
    });
  }
  const summaries = summarizeGrouped(grouped, options);
  const columns = toSummaryColumns(summaries);
  const calibration = fitClvModels(columns, { spendModel: "optional" });
  const params = calibration.bgnbd.params;

  const unitDays = daysPerUnit(options.timeUnit);
  const length = (holdoutEnd - end) / unitDays;
  const periods = Math.ceil(length - 1e-9);
  const horizons = Array.from({ length: periods }, (_, k) => Math.min(k + 1, length));

  // Actual: per customer and per period.
  const actual = new Float64Array(summaries.length);
  const actualByPeriod = new Float64Array(periods);
  summaries.forEach((s, i) => {
    for (const day of grouped.get(s.customerId)!.days) {
      if (day <= end || day > holdoutEnd) continue;
      actual[i]! += 1;
      const period = Math.min(periods, Math.ceil((day - end) / unitDays - 1e-9));
      actualByPeriod[period - 1]! += 1;
    }
  });

  // Predicted: once per distinct (x, t_x, T), per tracking horizon.
  const rows = weightSummaries(columns);
  const cumulative = new Float64Array(periods);
  const perRow = new Float64Array(rows.frequency.length);
  for (let j = 0; j < rows.frequency.length; j++) {
    const history = { frequency: rows.frequency[j]!, recency: rows.recency[j]!, T: rows.T[j]! };
    horizons.forEach((h, k) => {
      const e = bgNbdConditionalExpectedPurchases(params, history, h);
      cumulative[k]! += rows.weight[j]! * e;
      if (k === periods - 1) perRow[j] = e;
    });
  }
  const predicted = valuesPerCustomer(perRow, rows.rowOfCustomer);
  const accuracy = forecastAccuracy(actual, predicted);
  let runningActual = 0;
  const tracking = horizons.map((_, k) => {
    runningActual += actualByPeriod[k]!;
    return { period: k + 1, actual: runningActual, predicted: cumulative[k]! };
  });
  return {
    calibration,
    holdout: {
      periods,
      length,
      actual: runningActual,
      predicted: periods > 0 ? cumulative[periods - 1]! : 0,
      ...accuracy,
    },
    tracking,
    customers: summaries.map((s, i) => ({
      customerId: s.customerId,
      actual: actual[i]!,
      predicted: predicted[i]!,
    })),
  };
}
