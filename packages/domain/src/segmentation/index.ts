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
