import { ApiKeyEntity } from "../modules/api-keys/api-key.entity";
import { AuditEntryEntity } from "../modules/audit/audit-entry.entity";
import { CAMPAIGN_ENTITIES } from "../modules/campaigns/campaign.entity";
import { LOYALTY_ENTITIES } from "../modules/loyalty/loyalty.entity";
import { LoginAttemptEntity } from "../modules/auth/login-attempt.entity";
import { SessionEntity } from "../modules/auth/session.entity";
import { CustomerEntity } from "../modules/customers/customer.entity";
import { OrderEntity } from "../modules/orders/order.entity";
import { SegmentEntity } from "../modules/segments/segment.entity";
import { TierEntity, SegmentationSettingsEntity } from "../modules/tiers/tier.entity";
import { JobLockEntity } from "../modules/jobs/job-lock.entity";
import { JobScheduleEntity } from "../modules/jobs/job-schedule.entity";
import { JobEntity } from "../modules/jobs/job.entity";
import { UserEntity } from "../modules/users/user.entity";
import { CustomerValueEntity } from "../modules/value/customer-value.entity";
import { ScoringRunEntity } from "../modules/value/scoring-run.entity";
import { ValueSettingsEntity } from "../modules/value/value-settings.entity";
import { WebhookDeliveryEntity } from "../modules/webhooks/webhook-delivery.entity";
import { WebhookEndpointEntity } from "../modules/webhooks/webhook-endpoint.entity";
import { WebhookEventEntity } from "../modules/webhooks/webhook-event.entity";

/** Every entity, listed explicitly (no globs) so that tsc output and vitest load the same set. */
export const entities = [
  CustomerEntity,
  OrderEntity,
  UserEntity,
  ApiKeyEntity,
  AuditEntryEntity,
  ValueSettingsEntity,
  ScoringRunEntity,
  CustomerValueEntity,
  SessionEntity,
  LoginAttemptEntity,
  JobEntity,
  JobLockEntity,
  JobScheduleEntity,
  SegmentEntity,
  TierEntity,
  SegmentationSettingsEntity,
  ...LOYALTY_ENTITIES,
  WebhookEndpointEntity,
  WebhookEventEntity,
  WebhookDeliveryEntity,
  ...CAMPAIGN_ENTITIES,
];
