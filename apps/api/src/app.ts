import "reflect-metadata";

/**
 * `@valuetier/api/app`: the application without its HTTP server: configuration, the database,
 * and the services the command line and other processes call (import, scoring, users, audit).
 * Loads TypeORM but neither Apollo nor express.
 */
export { loadConfig, findRepoRoot, ConfigError, type AppConfig } from "./config";
export { createServices, type Services } from "./composition";
export { createDataSource, driverOf, type Driver, type DataSourceOptions } from "./db/data-source";
export {
  recordAudit,
  systemActor,
  type Actor,
  type AuditRecord,
} from "./modules/audit/audit.service";
export { CustomerEntity } from "./modules/customers/customer.entity";
export { OrderEntity } from "./modules/orders/order.entity";
export { openDatabase } from "./db/open-database";
export { UserService } from "./modules/users/user.service";
export { UserEntity, type Role } from "./modules/users/user.entity";
export { seedDemo, DEMO_ADMIN } from "./demo/seed-demo";
export {
  ImportService,
  MAX_RECORDS_PER_CALL,
  type CsvImportOptions,
  type CsvImportResult,
  type ImportProgress,
  type ImportRowError,
  type ImportServiceOptions,
  type RecordResult,
  type RecordsImportResult,
} from "./modules/import/import.service";
export type { ImportCounts } from "./modules/import/import-model";
export {
  ImportAbortedError,
  ImportFileError,
  type ImportFileErrorCode,
} from "./modules/import/import-errors";
export { recomputeCustomerAggregates } from "./modules/import/customer-aggregates";
export {
  ScoringRunBusyError,
  ScoringRunService,
  ScoringRunStoppedError,
  type ScoringProgress,
  type ScoringRunOptions,
  type ScoringServiceOptions,
} from "./modules/value/scoring-run.service";
export { ScoringRunEntity, type ScoringRunStatus } from "./modules/value/scoring-run.entity";
export { CustomerValueEntity } from "./modules/value/customer-value.entity";
export type { FittedModelRecord } from "./modules/value/fitted-model-record";
export { ValueSettingsService } from "./modules/value/value-settings.service";
export { ValueQueryService } from "./modules/value/value-query.service";
export { AudienceService } from "./modules/audiences/audience.service";
export { SegmentService, type SegmentPreview } from "./modules/segments/segment.service";
export { importCsvInWorker, type WorkerImportOptions } from "./modules/import/import-in-worker";
export {
  LoyaltyService,
  type EarnForOrdersOptions,
  type HousekeepingResult,
  type OrderEarning,
  type OrderForEarning,
} from "./modules/loyalty/loyalty.service";
export {
  registerLoyaltyJobs,
  checkHousekeepingAsOf,
  AS_OF_SKEW_MS,
  LOYALTY_ACTIVATE_JOB,
  LOYALTY_EXPIRE_JOB,
  LOYALTY_RECONCILE_JOB,
  type LoyaltyHousekeepingParams,
  type LoyaltyHousekeepingResult,
} from "./modules/loyalty/loyalty-jobs";
export { reconcileLoyalty, type ReconcileReport } from "./modules/loyalty/loyalty-reconcile";
export { WebhookService } from "./modules/webhooks/webhook.service";
export { WebhookDeliverer } from "./modules/webhooks/webhook-deliverer";
export { emitTierChanges } from "./modules/webhooks/emit-event";
