import { pearsonCorrelation } from "./pearson-correlation";

/** Error measures of per-customer forecasts. */
export interface ForecastAccuracy {
  rmse: number;
  mae: number;
  /** Pearson correlation of actual and predicted (NaN when either is constant). */
  correlation: number;
}

/**
 * Root-mean-square error, mean absolute error and correlation of predicted vs actual values,
 * the per-customer holdout checks of FHL 2005 §4.
 *
 * @param actual observed values.
 * @param predicted forecasts, same length.
 * @returns RMSE, MAE and correlation.
 * @example
 * forecastAccuracy([0, 2], [1, 1]); // { rmse: 1, mae: 1, correlation: NaN }
 */
export function forecastAccuracy(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
): ForecastAccuracy {
  const n = actual.length;
  let squares = 0;
  let absolute = 0;
  for (let i = 0; i < n; i++) {
    const e = predicted[i]! - actual[i]!;
    squares += e * e;
    absolute += Math.abs(e);
  }
  return {
    rmse: n > 0 ? Math.sqrt(squares / n) : Number.NaN,
    mae: n > 0 ? absolute / n : Number.NaN,
    correlation: pearsonCorrelation(actual, predicted),
  };
}
