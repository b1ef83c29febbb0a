export { analyseOperation, type OperationShape } from "./analyse-operation";
export { CostModel, type CostRules } from "./cost-model";
export { checkDocument, documentGuard, type DocumentLimits } from "./document-guard";
export {
  DEFAULT_COST_RULES,
  FIELD_COSTS,
  FIELD_OCCURRENCE_LIMITS,
  MAX_BULK_ITEMS,
} from "./field-costs";
export { queryLimitsPlugin, type Budget, type OperationLimits } from "./query-limits-plugin";
export { TokenBuckets } from "./token-bucket";
