import type { MigrationInterface, QueryRunner } from "typeorm";

// Written to match what TypeORM generates for the new CustomerValueEntity columns and indexes
// (nullable columns, named indexes led by run_id so a run's members of a tier, RFM group,
// lifecycle stage or churn risk are an index range). Each statement is checked-and-completed
// safe: a re-run after a crash skips what exists (see db/migration-runner.ts).

export class Segmentation1796103400000 implements MigrationInterface {
  name = "Segmentation1796103400000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE `customer_values` ADD `tier_key` varchar(64) NULL, ADD `rfm_r` smallint NULL, " +
        "ADD `rfm_f` smallint NULL, ADD `rfm_m` smallint NULL, ADD `rfm_group` varchar(32) NULL, " +
        "ADD `lifecycle_stage` varchar(16) NULL, ADD `churn_risk` varchar(8) NULL, " +
        "ADD `cluster` smallint NULL, ADD `tier_since` datetime(3) NULL, " +
        "ADD `tier_below_since` datetime(3) NULL, ADD `tier_pending` varchar(64) NULL",
    );
    await queryRunner.query(
      "CREATE INDEX `idx_customer_values_tier` ON `customer_values` (`run_id`, `tier_key`, `customer_id`)",
    );
    await queryRunner.query(
      "CREATE INDEX `idx_customer_values_rfm_group` ON `customer_values` (`run_id`, `rfm_group`, `customer_id`)",
    );
    await queryRunner.query(
      "CREATE INDEX `idx_customer_values_lifecycle` ON `customer_values` (`run_id`, `lifecycle_stage`, `customer_id`)",
    );
    await queryRunner.query(
      "CREATE INDEX `idx_customer_values_churn_risk` ON `customer_values` (`run_id`, `churn_risk`, `customer_id`)",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_customer_values_churn_risk` ON `customer_values`");
    await queryRunner.query("DROP INDEX `idx_customer_values_lifecycle` ON `customer_values`");
    await queryRunner.query("DROP INDEX `idx_customer_values_rfm_group` ON `customer_values`");
    await queryRunner.query("DROP INDEX `idx_customer_values_tier` ON `customer_values`");
    await queryRunner.query(
      "ALTER TABLE `customer_values` DROP COLUMN `tier_pending`, DROP COLUMN `tier_below_since`, " +
        "DROP COLUMN `tier_since`, DROP COLUMN `cluster`, DROP COLUMN `churn_risk`, " +
        "DROP COLUMN `lifecycle_stage`, DROP COLUMN `rfm_group`, DROP COLUMN `rfm_m`, " +
        "DROP COLUMN `rfm_f`, DROP COLUMN `rfm_r`, DROP COLUMN `tier_key`",
    );
  }
}
