import type { MigrationInterface, QueryRunner } from "typeorm";

// Tiers as data, the tier policy and each customer's held tier (with its grace period), as
// TypeORM generates them for TierEntity, TierSettingsEntity and CustomerTierStateEntity on
// MySQL. The default tiers and policy are not inserted here: the tier service creates them on
// first use, the same way on MySQL and the embedded SQLite database.

export class Tiers1796103600000 implements MigrationInterface {
  name = "Tiers1796103600000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `tiers` (`key` varchar(64) NOT NULL, `name` varchar(120) NOT NULL, `rank` int NOT NULL, " +
        "`benefits` text NOT NULL, `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), " +
        "UNIQUE INDEX `uq_tiers_rank` (`rank`), PRIMARY KEY (`key`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `tier_settings` (`id` int NOT NULL, `policy_json` text NOT NULL, `grace_days` int NOT NULL, " +
        "`updated_by` varchar(254) NOT NULL, " +
        "`updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), " +
        "PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `customer_tier_states` (`customer_id` int NOT NULL, `tier_key` varchar(64) NOT NULL, " +
        "`since` datetime(3) NOT NULL, `below_since` datetime(3) NULL, `pending_tier` varchar(64) NULL, " +
        "PRIMARY KEY (`customer_id`)) ENGINE=InnoDB",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE `customer_tier_states`");
    await queryRunner.query("DROP TABLE `tier_settings`");
    await queryRunner.query("DROP TABLE `tiers`");
  }
}
