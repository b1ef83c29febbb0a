import type { MigrationInterface, QueryRunner } from "typeorm";

// Campaign offers that are not points: a reward may be campaign-only (redeemable only by treated
// members of a running campaign that unlocks it), and each treated member of a campaign whose
// offer has a coupon gets one unique code, stored per (campaign, customer).

export class CampaignOffers1796104000000 implements MigrationInterface {
  name = "CampaignOffers1796104000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE `loyalty_rewards` ADD `campaign_only` tinyint NOT NULL DEFAULT '0'",
    );
    await queryRunner.query(
      "CREATE TABLE `campaign_coupons` (`campaign_id` int NOT NULL, `customer_id` int NOT NULL, " +
        "`code` varchar(96) NOT NULL, `face_value_minor` bigint NOT NULL, `issued_at` datetime(3) NOT NULL, " +
        "UNIQUE INDEX `uq_campaign_coupons_code` (`code`), " +
        "INDEX `idx_campaign_coupons_customer` (`customer_id`), " +
        "PRIMARY KEY (`campaign_id`, `customer_id`)) ENGINE=InnoDB",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE `campaign_coupons`");
    await queryRunner.query("ALTER TABLE `loyalty_rewards` DROP COLUMN `campaign_only`");
  }
}
