import type { MigrationInterface, QueryRunner } from "typeorm";

// Campaigns: the campaign rows, the audience frozen at launch with each member's group and
// covariates, one effect row per (campaign, order) so that a budget is drawn exactly once, and
// the global holdout setting; as TypeORM generates them for the campaigns module's entities on
// MySQL (the MariaDB generator's false diffs on existing nullable columns left out).

export class Campaigns1796103900000 implements MigrationInterface {
  name = "Campaigns1796103900000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `campaigns` (`id` int NOT NULL AUTO_INCREMENT, `campaign_key` varchar(64) NOT NULL, " +
        "`name` varchar(120) NOT NULL, `status` varchar(16) NOT NULL, `audience_json` text NOT NULL, " +
        "`starts_at` datetime(3) NULL, `ends_at` datetime(3) NULL, `time_zone` varchar(64) NOT NULL, " +
        "`offer_json` text NOT NULL, `control_share_bp` int NOT NULL, `pre_period_days` int NOT NULL, " +
        "`budget_kind` varchar(8) NULL, `budget` bigint NULL, `spent` bigint NOT NULL DEFAULT '0', " +
        "`on_budget_exhausted` varchar(16) NOT NULL, `budget_exhausted_at` datetime(3) NULL, " +
        "`owner` varchar(254) NOT NULL, `launched_at` datetime(3) NULL, `ended_at` datetime(3) NULL, " +
        "`launch_run_id` int NULL, `created_at` datetime(3) NOT NULL, `updated_at` datetime(3) NOT NULL, " +
        "UNIQUE INDEX `uq_campaigns_key` (`campaign_key`), INDEX `idx_campaigns_status` (`status`, `id`), " +
        "PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `campaign_members` (`campaign_id` int NOT NULL, `customer_id` int NOT NULL, " +
        "`grp` char(1) NOT NULL, `joined_at` datetime(3) NOT NULL, `late` tinyint NOT NULL DEFAULT '0', " +
        "`clv_minor` bigint NULL, `pre_spend_minor` bigint NOT NULL DEFAULT '0', `pre_orders` int NOT NULL DEFAULT '0', " +
        "INDEX `idx_campaign_members_customer` (`customer_id`, `campaign_id`), " +
        "PRIMARY KEY (`campaign_id`, `customer_id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `campaign_effects` (`campaign_id` int NOT NULL, `order_id` int NOT NULL, " +
        "`customer_id` int NOT NULL, `extra_points` bigint NOT NULL, `cost` bigint NOT NULL, " +
        "`created_at` datetime(3) NOT NULL, INDEX `idx_campaign_effects_customer` (`customer_id`), " +
        "PRIMARY KEY (`campaign_id`, `order_id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `campaign_settings` (`id` int NOT NULL, `holdout_share_bp` int NOT NULL, " +
        "`holdout_salt` varchar(64) NOT NULL, `updated_by` varchar(254) NOT NULL, " +
        "`updated_at` datetime(3) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE `campaign_settings`");
    await queryRunner.query("DROP TABLE `campaign_effects`");
    await queryRunner.query("DROP TABLE `campaign_members`");
    await queryRunner.query("DROP TABLE `campaigns`");
  }
}
