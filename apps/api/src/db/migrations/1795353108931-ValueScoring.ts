import type { MigrationInterface, QueryRunner } from "typeorm";

// Generated against MariaDB 10.11 with dist/scripts/generate-migration.js. The generator also
// listed ALTERs of nullable columns and index re-creations on the existing tables: TypeORM
// reads MariaDB's column default of nullable columns as the text 'NULL' and reports a change
// that is not there (no such statements appear against MySQL 8). Those were left out; only
// this migration's tables are created here.

export class ValueScoring1795353108931 implements MigrationInterface {
  name = "ValueScoring1795353108931";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`customer_values\` (\`run_id\` int NOT NULL, \`customer_id\` int NOT NULL, \`clv_minor\` bigint NULL, \`historical_value_minor\` bigint NOT NULL, \`p_alive\` double NULL, \`expected_purchases\` double NULL, \`expected_avg_value_minor\` bigint NULL, \`margin_minor\` bigint NOT NULL, \`orders\` int NOT NULL, \`frequency\` int NOT NULL, \`recency_days\` int NULL, \`age_days\` int NULL, \`mean_repeat_value_minor\` bigint NULL, \`first_purchase_at\` datetime(3) NULL, \`last_purchase_at\` datetime(3) NULL, INDEX \`idx_customer_values_p_alive\` (\`run_id\`, \`p_alive\`, \`customer_id\`), INDEX \`idx_customer_values_clv\` (\`run_id\`, \`clv_minor\`, \`customer_id\`), PRIMARY KEY (\`run_id\`, \`customer_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`scoring_runs\` (\`id\` int NOT NULL AUTO_INCREMENT, \`status\` varchar(16) NOT NULL, \`active_lock\` tinyint NULL, \`progress\` double NOT NULL DEFAULT '0', \`phase\` varchar(32) NOT NULL DEFAULT 'queued', \`customers_total\` int NULL, \`customers_scored\` int NOT NULL DEFAULT '0', \`runner\` varchar(255) NOT NULL DEFAULT '', \`heartbeat_at\` datetime(3) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`started_at\` datetime(3) NULL, \`finished_at\` datetime(3) NULL, \`error\` text NULL, \`settings_json\` text NOT NULL, \`model_json\` text NULL, \`triggered_by\` varchar(254) NOT NULL, \`triggered_by_user_id\` int NULL, UNIQUE INDEX \`uq_scoring_runs_active_lock\` (\`active_lock\`), INDEX \`idx_scoring_runs_status\` (\`status\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`value_settings\` (\`id\` int NOT NULL, \`model\` varchar(16) NOT NULL, \`horizon_months\` int NOT NULL, \`monthly_discount_rate\` varchar(32) NOT NULL, \`default_margin_rate\` varchar(32) NOT NULL, \`cac_source\` varchar(16) NOT NULL, \`fixed_cac_minor\` bigint NULL, \`time_unit\` varchar(8) NOT NULL, \`updated_at\` datetime(3) NOT NULL, \`updated_by\` varchar(254) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`value_settings\``);
    await queryRunner.query(`DROP INDEX \`idx_scoring_runs_status\` ON \`scoring_runs\``);
    await queryRunner.query(`DROP INDEX \`uq_scoring_runs_active_lock\` ON \`scoring_runs\``);
    await queryRunner.query(`DROP TABLE \`scoring_runs\``);
    await queryRunner.query(`DROP INDEX \`idx_customer_values_clv\` ON \`customer_values\``);
    await queryRunner.query(`DROP INDEX \`idx_customer_values_p_alive\` ON \`customer_values\``);
    await queryRunner.query(`DROP TABLE \`customer_values\``);
  }
}
