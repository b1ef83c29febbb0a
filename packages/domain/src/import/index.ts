// Validation of imported customers and orders, shared by the CSV import and the GraphQL
// mutations so that both accept and refuse exactly the same records.
export {
  DEFAULT_FUTURE_TOLERANCE_MS,
  describeErrors,
  type ImportErrorCode,
  type ImportFieldError,
  type ImportRecord,
  type RecordValidation,
  type RecordValidationOptions,
} from "./import-error";
export {
  CUSTOMER_COLUMNS,
  FIELD_LIMITS,
  ORDER_COLUMNS,
  missingColumns,
  type ColumnSpec,
} from "./columns";
export { codePointLength, externalIdKey } from "./text-fields";
export { parseTimestamp, type TimestampResult } from "./parse-timestamp";
export { normaliseEmail, type EmailResult } from "./normalise-email";
export { normaliseTags, type TagsResult } from "./normalise-tags";
export {
  validateCustomerRecord,
  type CustomerRow,
  type CustomerValidationOptions,
} from "./validate-customer-record";
export {
  ORDER_STATUSES,
  validateOrderRecord,
  type ImportOrderStatus,
  type OrderRow,
  type OrderValidationOptions,
} from "./validate-order-record";
