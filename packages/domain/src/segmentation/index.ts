// Segmentation: RFM scores and groups, K-Means clustering, value tiers with grace periods,
// lifecycle stage and churn risk. Pure rules over plain inputs; the API maps entities to them.
export {
  SegmentationError,
  type SegmentationErrorCode,
  type SegmentationSettingsIssue,
} from "./segmentation-error";
export {
  computeRfmScores,
  quintileScores,
  type QuintileCuts,
  type RfmInput,
  type RfmScores,
  type Score,
} from "./rfm-scores";
export {
  DEFAULT_RFM_GROUP_RULES,
  RFM_GROUPS,
  fmScore,
  rfmGrid,
  rfmGroup,
  validateRfmGroupRules,
  type RfmGrid,
  type RfmGroup,
  type RfmGroupRule,
  type RfmRulesIssueCode,
} from "./rfm-groups";
export {
  kMeans,
  matrixRows,
  nearestCentroids,
  type KMeansOptions,
  type KMeansResult,
} from "./kmeans";
export { applyStandardization, fitStandardizer, type Standardization } from "./standardize";
export { sampleRows, silhouetteScore } from "./silhouette";
export { elbowCurve, elbowK, type ElbowPoint } from "./elbow";
export { suggestK, type KSuggestion } from "./suggest-k";
export {
  DEFAULT_TIERS,
  DEFAULT_TIER_POLICY,
  MAX_WINDOW_MONTHS,
  TIER_POLICY_KINDS,
  assignTiers,
  validateTierPolicy,
  type MinorUnits,
  type TierDefinition,
  type TierInput,
  type TierIssueCode,
  type TierPolicy,
} from "./tier-policy";
export {
  isQualifyingPolicy,
  nextTierGap,
  qualificationWindowStart,
  type QualifyingPolicy,
  type TierGap,
  type TierGapInput,
} from "./tier-qualification";
export { rankClustersByMeanClv } from "./cluster-ranking";
export { applyTierChange, tierDowngradeDue, type TierState } from "./tier-grace";
export {
  CHURN_RISKS,
  DEFAULT_LIFECYCLE_SETTINGS,
  LIFECYCLE_STAGES,
  churnRisk,
  customerStatusWords,
  lifecycleStage,
  validateLifecycleSettings,
  type ChurnRisk,
  type LifecycleInput,
  type LifecycleIssueCode,
  type LifecycleSettings,
  type LifecycleStage,
} from "./lifecycle";
