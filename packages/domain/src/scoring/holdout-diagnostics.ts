import {
  bgNbdConditionalExpectedPurchases,
  daysPerUnit,
  forecastAccuracy,
  valuesPerCustomer,
  weightSummaries,
  type BgNbdParams,
  type SummaryColumns,
  type TimeUnit,
  type TrackingPoint,
} from "../clv";

/** Input of {@link holdoutDiagnostics}, all from aggregates (no order list). */
export interface HoldoutDiagnosticsInput {
  /** Parameters fitted on the calibration period. */
  params: BgNbdParams;
  /** Calibration summaries of the customers whose first purchase is on or before the calibration end. */
  calibration: Pick<SummaryColumns, "frequency" | "recency" | "T">;
  /** Each of those customers' purchase days in the holdout, same order. */
  actual: ArrayLike<number>;
  /** Those customers' holdout purchase days counted per day: [day number, count] pairs. */
  actualByDay: Iterable<readonly [number, number]>;
  /** Last calibration day (inclusive). */
  calibrationEnd: number;
  /** Last holdout day (inclusive). */
  holdoutEnd: number;
  /** The model's time unit. */
  timeUnit: TimeUnit;
}

/** Mean actual and predicted holdout purchases of the customers with a given calibration x. */
export interface CalibrationPoint {
  /** Repeat purchases in calibration, 0..7; 7 stands for "7 or more". */
  purchases: number;
  customers: number;
  actual: number;
  predicted: number;
}

/** How well the calibration fit forecast the holdout. */
export interface HoldoutDiagnostics {
  calibrationEnd: number;
  holdoutEnd: number;
  /** Customers compared (those who existed at the calibration end). */
  customers: number;
  /** Length of a tracking period in days. */
  periodDays: number;
  /** Holdout length in tracking periods (may be fractional). */
  length: number;
  /** Total repeat purchase days in the holdout, actual and predicted. */
  actual: number;
  predicted: number;
  /** Per-customer errors (FHL 2005 §4). */
  rmse: number;
  mae: number;
  correlation: number;
  /** Cumulative repeat purchases by tracking period (FHL 2005 fig. 3). */
  tracking: TrackingPoint[];
  /** Conditional expectations by calibration frequency 0..7+ (FHL 2005 fig. 4). */
  calibrationSeries: CalibrationPoint[];
}

/** Calibration frequencies are grouped 0, 1, …, 6 and 7+. */
export const CALIBRATION_SERIES_MAX = 7;

/**
 * The model page's checks of a calibration fit against the holdout, as `evaluateHoldout` does
 * from transactions but from per-customer counts and per-day totals, so that it works on
 * SQL aggregates: the cumulative tracking series of actual vs predicted repeat purchases and
 * the mean actual vs predicted holdout purchases by calibration frequency (0..7+). Predictions
 * are E[Y(t) | x, t_x, T] (FHL 2005 eq. 10), evaluated once per distinct (x, t_x, T).
 *
 * Tracking periods are weeks, or months when the model is fitted in months: a daily series
 * would cost 182 evaluations per customer and say no more.
 *
 * @param input calibration fit, summaries, holdout counts and the window.
 * @returns totals, errors and both series.
 * @throws {RangeError} when `actual` and the summaries differ in length or the window is empty.
 * @example
 * holdoutDiagnostics({ params, calibration, actual, actualByDay, calibrationEnd: 547, holdoutEnd: 729, timeUnit: "week" }).tracking.length; // 26
 */
export function holdoutDiagnostics(input: HoldoutDiagnosticsInput): HoldoutDiagnostics {
  const { params, calibration, actual, calibrationEnd, holdoutEnd, timeUnit } = input;
  const n = calibration.frequency.length;
  if (actual.length !== n) {
    throw new RangeError(`${actual.length} holdout counts for ${n} calibration customers`);
  }
  if (!(holdoutEnd > calibrationEnd)) {
    throw new RangeError(
      `holdout end ${holdoutEnd} must be after calibration end ${calibrationEnd}`,
    );
  }
  const unitDays = daysPerUnit(timeUnit);
  const periodDays = timeUnit === "month" ? unitDays : 7;
  const length = (holdoutEnd - calibrationEnd) / periodDays;
  const periods = Math.ceil(length - 1e-9);
  // Forecast horizons in the model's unit, at the end of each tracking period.
  const horizons = Array.from(
    { length: periods },
    (_, k) => (Math.min(k + 1, length) * periodDays) / unitDays,
  );

  const actualByPeriod = new Float64Array(periods);
  for (const [day, count] of input.actualByDay) {
    if (day <= calibrationEnd || day > holdoutEnd) continue;
    const period = Math.min(periods, Math.ceil((day - calibrationEnd) / periodDays - 1e-9));
    actualByPeriod[period - 1]! += count;
  }

  const rows = weightSummaries(calibration);
  const cumulative = new Float64Array(periods);
  const perRow = new Float64Array(rows.frequency.length);
  for (let j = 0; j < rows.frequency.length; j++) {
    const history = { frequency: rows.frequency[j]!, recency: rows.recency[j]!, T: rows.T[j]! };
    for (let k = 0; k < periods; k++) {
      const e = bgNbdConditionalExpectedPurchases(params, history, horizons[k]!);
      cumulative[k]! += rows.weight[j]! * e;
      if (k === periods - 1) perRow[j] = e;
    }
  }
  const predicted = valuesPerCustomer(perRow, rows.rowOfCustomer);

  const groups = CALIBRATION_SERIES_MAX + 1;
  const count = new Float64Array(groups);
  const actualSum = new Float64Array(groups);
  const predictedSum = new Float64Array(groups);
  let totalActual = 0;
  for (let i = 0; i < n; i++) {
    const g = Math.min(CALIBRATION_SERIES_MAX, calibration.frequency[i]!);
    count[g]! += 1;
    actualSum[g]! += actual[i]!;
    predictedSum[g]! += predicted[i]!;
    totalActual += actual[i]!;
  }

  let running = 0;
  const tracking = horizons.map((_, k) => {
    running += actualByPeriod[k]!;
    return { period: k + 1, actual: running, predicted: cumulative[k]! };
  });
  const calibrationSeries: CalibrationPoint[] = [];
  for (let g = 0; g < groups; g++) {
    if (count[g] === 0) continue;
    calibrationSeries.push({
      purchases: g,
      customers: count[g]!,
      actual: actualSum[g]! / count[g]!,
      predicted: predictedSum[g]! / count[g]!,
    });
  }
  return {
    calibrationEnd,
    holdoutEnd,
    customers: n,
    periodDays,
    length,
    actual: totalActual,
    predicted: periods > 0 ? cumulative[periods - 1]! : 0,
    ...forecastAccuracy(actual, predicted),
    tracking,
    calibrationSeries,
  };
}
