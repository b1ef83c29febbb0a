/** Calibration and holdout periods, as inclusive UTC day numbers. */
export interface HoldoutWindow {
  /** Last day of the calibration period. */
  calibrationEnd: number;
  /** Last day of the holdout (the last purchase day of the data). */
  holdoutEnd: number;
  /** Holdout length in days. */
  days: number;
}

/** The longest holdout: 26 weeks, as in FHL 2005 §4 (39 weeks there; half a year keeps more data for calibration). */
export const MAX_HOLDOUT_DAYS = 26 * 7;

/**
 * Splits the observed period for the model check: the holdout is the last min(26 weeks, a
 * third of the span) days, the calibration everything before it, so that at least two thirds
 * of the history remain to fit on.
 *
 * @param firstDay first purchase day of the data.
 * @param lastDay last purchase day of the data.
 * @returns the window, or null when the span is too short for a holdout of at least a week.
 * @example
 * chooseHoldoutWindow(0, 729); // { calibrationEnd: 547, holdoutEnd: 729, days: 182 }
 * chooseHoldoutWindow(0, 60); // { calibrationEnd: 40, holdoutEnd: 60, days: 20 }
 */
export function chooseHoldoutWindow(firstDay: number, lastDay: number): HoldoutWindow | null {
  const days = Math.min(MAX_HOLDOUT_DAYS, Math.floor((lastDay - firstDay) / 3));
  if (!(days >= 7)) return null;
  return { calibrationEnd: lastDay - days, holdoutEnd: lastDay, days };
}
