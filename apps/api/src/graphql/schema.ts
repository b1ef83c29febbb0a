import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { DateTimeResolver } from "graphql-scalars";
import { buildSchema } from "type-graphql";
import { ApiKeyResolver } from "../modules/api-keys/api-key.resolver";
import { AuditResolver } from "../modules/audit/audit.resolver";
import {
  CampaignResolver,
  CustomerCampaignsResolver,
} from "../modules/campaigns/campaign.resolver";
import { CustomerResolver } from "../modules/customers/customer.resolver";
import { DashboardResolver } from "../modules/dashboard/dashboard.resolver";
import { DistributionResolver } from "../modules/distributions/distribution.resolver";
import {
  ImportResolver,
  RecordOrdersPayloadResolver,
  UpsertCustomersPayloadResolver,
} from "../modules/import/import.resolver";
import { JobsResolver } from "../modules/jobs/jobs.resolver";
import {
  CustomerLoyaltyResolver,
  LoyaltyAccountResolver,
  LoyaltyPointsPayloadResolver,
  LoyaltyResolver,
  RedemptionResolver,
} from "../modules/loyalty/loyalty.resolver";
import { OrderResolver } from "../modules/orders/order.resolver";
import { SegmentResolver } from "../modules/segments/segment.resolver";
import { TierResolver } from "../modules/tiers/tier.resolver";
import { UserResolver } from "../modules/users/user.resolver";
import {
  CustomerValueResolver,
  CustomerValueTierResolver,
} from "../modules/value/customer-value.resolver";
import { ScoringRunResolver } from "../modules/value/scoring-run.resolver";
import { ValueSettingsResolver } from "../modules/value/value-settings.resolver";
import { WebhookResolver } from "../modules/webhooks/webhook.resolver";
import { authChecker } from "./auth-checker";
import { mapDomainErrors } from "./domain-errors";

export const resolvers = [
  UserResolver,
  ApiKeyResolver,
  AuditResolver,
  CustomerResolver,
  OrderResolver,
  ImportResolver,
  UpsertCustomersPayloadResolver,
  RecordOrdersPayloadResolver,
  CustomerValueResolver,
  CustomerValueTierResolver,
  ScoringRunResolver,
  ValueSettingsResolver,
  DashboardResolver,
  JobsResolver,
  SegmentResolver,
  TierResolver,
  DistributionResolver,
  LoyaltyResolver,
  CustomerLoyaltyResolver,
  LoyaltyAccountResolver,
  LoyaltyPointsPayloadResolver,
  RedemptionResolver,
  WebhookResolver,
  CampaignResolver,
  CustomerCampaignsResolver,
] as const;

let built: Promise<GraphQLSchema> | null = null;

/** Builds the schema once per process (type-graphql metadata is global). */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    authChecker,
    globalMiddlewares: [mapDomainErrors],
    validate: { forbidUnknownValues: false },
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  });
  return built;
}
