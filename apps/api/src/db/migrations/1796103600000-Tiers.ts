import type { MigrationInterface, QueryRunner } from "typeorm";

// Tiers as data and how the scoring run segments (tier policy and grace, RFM group rules,
// lifecycle thresholds, clusters), as TypeORM generates them for TierEntity and
// SegmentationSettingsEntity on MySQL. (Each customer's held tier and grace live in the scoring
// snapshot, customer_values, so that a run that fails changes none of them.) The default tiers and policy are not inserted here: the tier service creates them on
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
      "CREATE TABLE `segmentation_settings` (`id` int NOT NULL, `policy_json` text NOT NULL, `grace_days` int NOT NULL, " +
        "`rfm_rules_json` text NOT NULL, `lifecycle_json` text NOT NULL, `clusters` int NOT NULL, " +
        "`updated_by` varchar(254) NOT NULL, " +
        "`updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), " +
        "PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE `segmentation_settings`");
    await queryRunner.query("DROP TABLE `tiers`");
  }
}
