// Campaign measurement: distributions (Student t, normal), group summaries, Welch intervals,
// CUPED, always-valid confidence sequences, minimum detectable effect, money (cost, incremental
// value, return on spend), stable assignment, and the two one-call analyses. Pure.
export { MeasurementError, type MeasurementErrorCode } from "./measurement-error";
export { normalCdf, normalQuantile, normalUpperTail } from "./normal-distribution";
export { studentTCdf, studentTDensity, studentTQuantile, studentTUpperTail } from "./student-t";
export { regularizedBeta } from "./incomplete-beta";
export { regularizedGamma } from "./incomplete-gamma";
export {
  summarizeGroup,
  summaryFromMoments,
  type GroupMoments,
  type GroupSummary,
} from "./group-summary";
export { EXPERIMENT_GROUPS, splitGroups, type ExperimentGroup } from "./assignment-groups";
export {
  welchDegreesOfFreedom,
  welchDifference,
  type DifferenceEstimate,
} from "./welch-difference";
export { checkCovariates, cupedAdjust, type Covariate, type CupedResult } from "./cuped";
export {
  confidenceSequence,
  mixingVarianceFor,
  normalMixtureRadius,
  optimalMixingRatio,
  sequentialVariance,
  type ConfidenceSequenceResult,
} from "./confidence-sequence";
export {
  minimumDetectableEffect,
  type MinimumDetectableEffect,
  type MinimumDetectableEffectInput,
} from "./minimum-detectable-effect";
export { campaignCost, type CampaignCost, type CampaignCostInput } from "./campaign-cost";
export { incrementalValue, type MoneyInterval } from "./incremental-value";
export { returnOnSpend, type ReturnOnSpend, type SpendVerdict } from "./return-on-spend";
export {
  GLOBAL_HOLDOUT_SALT,
  assignGroup,
  assignmentPosition,
  hashToUnit,
  isInGlobalHoldout,
} from "./assign-group";
export { sha256, sha256Hex, utf8Bytes } from "./sha256";
export {
  measureUplift,
  type AdjustedEstimate,
  type UpliftInput,
  type UpliftOptions,
  type UpliftResult,
} from "./measure-uplift";
export {
  collectMoments,
  cupedFromMoments,
  summaryOfMoments,
  upliftFromMoments,
  type CupedEstimate,
  type UpliftMoments,
  type UpliftMomentsInput,
} from "./uplift-moments";
export {
  measureCampaign,
  type CampaignCustomerOutcome,
  type CampaignGroupTotals,
  type CampaignResults,
  type MeasureCampaignInput,
} from "./measure-campaign";
