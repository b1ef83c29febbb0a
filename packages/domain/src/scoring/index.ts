// Scoring runs: from per-customer SQL aggregates to model inputs, values and model checks.
export {
  CAC_SOURCES,
  VALUE_MODELS,
  VALUE_SETTINGS_BOUNDS,
  defaultValueSettings,
  validateValueSettings,
  type CacSource,
  type SettingsIssue,
  type SettingsIssueCode,
  type ValueModel,
  type ValueSettings,
} from "./value-settings";
export type { CalibrationAggregate, CustomerOrderAggregate } from "./order-aggregate";
export { summaryFromAggregate, type AggregateSummary } from "./summary-from-aggregate";
export { marginToDate } from "./margin-to-date";
export { chooseHoldoutWindow, MAX_HOLDOUT_DAYS, type HoldoutWindow } from "./holdout-window";
export { monthlyRetention, retentionWindows, type RetentionWindows } from "./monthly-retention";
export {
  CALIBRATION_SERIES_MAX,
  holdoutDiagnostics,
  type CalibrationPoint,
  type HoldoutDiagnostics,
  type HoldoutDiagnosticsInput,
} from "./holdout-diagnostics";
export {
  scoreCustomer,
  type CustomerScore,
  type CustomerScoringInput,
  type FittedValueModels,
  type ScoringContext,
} from "./score-customer";
