export * from "./audience-spec";
// The segment language: text ⇄ Audience, and the reference evaluator the SQL compiler is
// tested against.
export {
  parseSegment,
  SEGMENT_LIMITS,
  type ParseSegmentOptions,
  type SegmentParseResult,
} from "./segment-parse";
export { printSegment, printLiteral, SegmentPrintError } from "./segment-print";
export {
  evaluateSegment,
  evaluateCondition,
  type EvaluateSegmentOptions,
  type SegmentCustomer,
  type SegmentTruth,
  type SegmentValueByKind,
} from "./segment-evaluate";
export {
  segmentError,
  segmentPosition,
  type SegmentError,
  type SegmentPosition,
} from "./segment-error";
export {
  readSegmentToken,
  tokenizeSegment,
  RELATIVE_DATE_LIMITS,
  NUMBER_DIGIT_LIMITS,
  type SegmentToken,
} from "./segment-tokenize";
export {
  isCalendarDate,
  resolveDateLiteral,
  shiftCalendarDate,
  utcDay,
  type RelativeDateUnit,
} from "./segment-relative-date";
export {
  acceptsOperation,
  FIELDS_NOT_AVAILABLE_YET,
  SEGMENT_FIELD_NAMES,
  SEGMENT_OPERATIONS,
  type SegmentOperation,
} from "./segment-fields";
export { compareDecimalText, isDecimalText } from "./segment-decimal";
export {
  randomSegmentCondition,
  randomSegmentCustomer,
  type RandomSegmentOptions,
} from "./segment-random";
