// Customer lifetime value: probabilistic models (BG/NBD, Gamma-Gamma), discounted predictive
// CLV, heuristic models, holdout evaluation and simulation.
export { ClvError, type ClvErrorCode } from "./clv-error";
export { TIME_UNITS, DAYS_PER_MONTH, daysPerUnit, unitsPerMonth, type TimeUnit } from "./time-unit";
export {
  toSummaryColumns,
  validateSummaryColumns,
  type CustomerSummary,
  type SummaryColumns,
} from "./customer-summary";
export { valuesPerCustomer, weightSummaries, type WeightedSummaries } from "./weighted-summaries";
export {
  groupPurchaseDays,
  toDayNumber,
  type PurchaseDays,
  type Transaction,
} from "./purchase-days";
export {
  summarizeTransactions,
  summarizeGrouped,
  type SummarizeOptions,
} from "./summarize-transactions";
export type { BgNbdParams, GammaGammaParams } from "./bg-nbd-params";
export type { PurchaseHistory } from "./bg-nbd-history";
export { bgNbdLogLikelihood } from "./bg-nbd-likelihood";
export { fitBgNbd, type BgNbdFit, type FitBgNbdOptions } from "./fit-bg-nbd";
export { bgNbdProbabilityAlive } from "./bg-nbd-probability-alive";
export { bgNbdConditionalExpectedPurchases } from "./bg-nbd-conditional-expected-purchases";
export { bgNbdExpectedPurchases } from "./bg-nbd-expected-purchases";
export { bgNbdPurchaseCountProbability } from "./bg-nbd-purchase-count-probability";
export { gammaGammaLogLikelihood, type SpendData } from "./gamma-gamma-likelihood";
export {
  fitGammaGamma,
  type FitGammaGammaOptions,
  type GammaGammaFit,
  type SpendColumns,
} from "./fit-gamma-gamma";
export { gammaGammaExpectedSpend } from "./gamma-gamma-expected-spend";
export {
  fitClvModels,
  fitClvModelsAlongside,
  type ClvModels,
  type FitClvModelsOptions,
  type SpendFitter,
} from "./fit-clv-models";
export {
  discountedPurchaseProfile,
  predictiveClv,
  predictiveClvFromProfile,
  type DiscountedPurchaseProfile,
  type PredictiveClv,
  type PredictiveClvOptions,
} from "./predictive-clv";
export { pearsonCorrelation } from "./pearson-correlation";
export { forecastAccuracy, type ForecastAccuracy } from "./forecast-accuracy";
export {
  evaluateHoldout,
  type HoldoutEvaluation,
  type HoldoutOptions,
  type TrackingPoint,
} from "./evaluate-holdout";
export {
  simulateBgNbdCustomers,
  type SimulatedCustomers,
  type SimulationOptions,
} from "./simulate-bg-nbd";
export {
  roundHalfEven,
  roundHalfEvenNumber,
  toMinorUnits,
  parseRate,
  type MoneyInput,
  type RateInput,
  type Rational,
} from "./exact-money";
export { historicalClv, type HistoricalClvInput } from "./historical-clv";
export { simpleProjectionClv, type SimpleProjectionClvInput } from "./simple-projection-clv";
export { discountedCashFlowClv, type DiscountedCashFlowClvInput } from "./discounted-cash-flow-clv";
export { retentionClv, type RetentionClvInput } from "./retention-clv";
