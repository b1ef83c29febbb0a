import type { MigrationInterface, QueryRunner } from "typeorm";

// A campaign coupon can be recorded as used on an order (useCampaignCoupon): when, and which
// order. A coupon is used once.

export class CouponUses1796104100000 implements MigrationInterface {
  name = "CouponUses1796104100000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE `campaign_coupons` ADD `used_at` datetime(3) NULL, ADD `used_order_id` int NULL",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE `campaign_coupons` DROP COLUMN `used_order_id`, DROP COLUMN `used_at`",
    );
  }
}
