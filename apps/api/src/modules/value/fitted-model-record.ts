import type {
  BgNbdParams,
  CalibrationPoint,
  GammaGammaParams,
  TimeUnit,
  TrackingPoint,
} from "@valuetier/domain";

/** A BG/NBD fit as stored with a run. */
export interface BgNbdRecord {
  params: BgNbdParams;
  standardErrors: BgNbdParams | null;
  logLikelihood: number;
  customers: number;
  repeatCustomers: number;
  iterations: number;
  method: string;
}

/** A Gamma-Gamma fit as stored with a run. */
export interface GammaGammaRecord {
  params: GammaGammaParams;
  standardErrors: GammaGammaParams | null;
  logLikelihood: number;
  /** Repeat customers with positive spend the model was fitted on. */
  customers: number;
  /** Correlation of x and m̄ (the model assumes independence); null when undefined. */
  frequencySpendCorrelation: number | null;
}

/** The holdout check stored with a run (see holdoutDiagnostics in the domain). */
export interface HoldoutRecord {
  /** Last calibration day and last holdout day, YYYY-MM-DD (UTC). */
  calibrationEnd: string;
  holdoutEnd: string;
  customers: number;
  periodDays: number;
  length: number;
  actual: number;
  predicted: number;
  rmse: number | null;
  mae: number | null;
  correlation: number | null;
  tracking: TrackingPoint[];
  calibrationSeries: CalibrationPoint[];
  /** The BG/NBD fit on the calibration period that made the forecast. */
  calibrationFit: BgNbdRecord;
}

/**
 * What a succeeded run stores as model_json: the fits on the whole base (these scored the
 * customers), the holdout check, the base's monthly retention and the totals.
 */
export interface FittedModelRecord {
  timeUnit: TimeUnit;
  currency: string;
  /** First and last purchase day of the data (YYYY-MM-DD, UTC); null without orders. */
  observationStart: string | null;
  observationEnd: string | null;
  customers: number;
  customersWithOrders: number;
  bgnbd: BgNbdRecord | null;
  gammaGamma: GammaGammaRecord | null;
  monthlyRetention: number | null;
  holdout: HoldoutRecord | null;
  /** Σ CLV (minor units) over the customers the model could value, and how many those were. */
  totalClvMinor: number;
  customersValued: number;
  /** Σ historical value (minor units). */
  totalHistoricalValueMinor: number;
  warnings: string[];
  /** Milliseconds spent reading aggregates, fitting and scoring/writing. */
  timings: { aggregateMs: number; fitMs: number; scoreMs: number };
}

/** JSON has no NaN or infinity: such statistics are stored as null. */
export const finiteOrNull = (value: number): number | null =>
  Number.isFinite(value) ? value : null;
