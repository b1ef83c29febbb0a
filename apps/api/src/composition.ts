import type { DataSource, EntityManager } from "typeorm";
import type { AppConfig } from "./config";
import { ApiKeyService } from "./modules/api-keys/api-key.service";
import { AudienceService } from "./modules/audiences/audience.service";
import { AuditLogService } from "./modules/audit/audit.service";
import { CampaignBoosts } from "./modules/campaigns/campaign-boosts";
import { CampaignRewardUnlocks } from "./modules/campaigns/campaign-unlocks";
import { CampaignService } from "./modules/campaigns/campaign.service";
import { DashboardSeriesService } from "./modules/dashboard/dashboard-series.service";
import { DashboardService } from "./modules/dashboard/dashboard.service";
import { JobScheduleService } from "./modules/jobs/job-schedules";
import { CustomerService } from "./modules/customers/customer.service";
import { DistributionService } from "./modules/distributions/distribution.service";
import { ImportService } from "./modules/import/import.service";
import { LoyaltyService } from "./modules/loyalty/loyalty.service";
import { SegmentService } from "./modules/segments/segment.service";
import { TierQualification } from "./modules/tiers/tier-qualification";
import { TierService } from "./modules/tiers/tier.service";
import { UserService } from "./modules/users/user.service";
import { ValueQueryService } from "./modules/value/value-query.service";
import { ValueSettingsService } from "./modules/value/value-settings.service";
import { WebhookService } from "./modules/webhooks/webhook.service";

/**
 * The services of one running API, built once per data source at start-up (the composition
 * root) and handed to resolvers through the GraphQL context. Resolvers stay thin: permission,
 * arguments, one call to a service here.
 */
export interface Services {
  customers: CustomerService;
  users: UserService;
  apiKeys: ApiKeyService;
  auditLog: AuditLogService;
  imports: ImportService;
  valueQueries: ValueQueryService;
  audiences: AudienceService;
  segments: SegmentService;
  tiers: TierService;
  distributions: DistributionService;
  valueSettings: ValueSettingsService;
  dashboard: DashboardService;
  dashboardSeries: DashboardSeriesService;
  schedules: JobScheduleService;
  /** Points, rewards and redemptions; earns for orders recorded through the API. */
  loyalty: LoyaltyService;
  webhooks: WebhookService;
  /** Campaigns: definition, lifecycle, frozen audiences, results and the global holdout. */
  campaigns: CampaignService;
}

export function createServices(
  dataSource: DataSource,
  config: Pick<AppConfig, "defaultCurrency" | "defaultMarginRate">,
): Services {
  const valueQueries = new ValueQueryService(dataSource);
  const audiences = new AudienceService(dataSource, valueQueries, {
    currency: config.defaultCurrency,
  });
  const tiers = new TierService(dataSource, valueQueries);
  const loyalty = new LoyaltyService(dataSource, {
    defaultMarginRate: config.defaultMarginRate,
    // Under a points or spend tier policy, an earn that reaches a better tier moves the customer
    // up in the earn's transaction.
    tierQualification: new TierQualification({ currency: config.defaultCurrency }),
  });
  const segments = new SegmentService(dataSource, audiences, valueQueries, config.defaultCurrency);
  const valueSettings = new ValueSettingsService(dataSource, config.defaultMarginRate);
  const costPerPointMinor = async (manager: EntityManager) =>
    (await loyalty.settings(manager)).costPerPointMinor;
  // Running campaigns boost the points treated customers' orders earn, inside the earning
  // transaction (the loyalty seam EarningBoosts).
  loyalty.useEarningBoosts(
    new CampaignBoosts({ audiences, segments, valueQueries, costPerPointMinor }),
  );
  // A reward a running campaign's offer names is unlocked for its treated members (the loyalty
  // seam RewardUnlocks, checked inside the redemption transaction).
  loyalty.useRewardUnlocks(new CampaignRewardUnlocks());
  return {
    customers: new CustomerService(dataSource, config.defaultCurrency, valueQueries),
    users: new UserService(dataSource),
    apiKeys: new ApiKeyService(dataSource),
    auditLog: new AuditLogService(dataSource),
    imports: new ImportService(dataSource, {
      currency: config.defaultCurrency,
      // Orders recorded through the API earn (or, refunded, reverse) points in the same transaction.
      // recordOrders runs its transactions at READ COMMITTED.
      onOrdersRecorded: (manager, orders) =>
        loyalty.earnForOrders(manager, orders, { readCommitted: true }),
    }),
    valueQueries,
    audiences,
    segments,
    tiers,
    distributions: new DistributionService(dataSource, valueQueries, tiers, config.defaultCurrency),
    valueSettings,
    dashboard: new DashboardService(dataSource),
    dashboardSeries: new DashboardSeriesService(dataSource),
    schedules: new JobScheduleService(dataSource),
    loyalty,
    webhooks: new WebhookService(dataSource),
    campaigns: new CampaignService(
      dataSource,
      audiences,
      segments,
      tiers,
      valueQueries,
      valueSettings,
      {
        currency: config.defaultCurrency,
        costPerPointMinor,
      },
    ),
  };
}
