import type { MigrationInterface, QueryRunner } from "typeorm";

export class Initial1795352461569 implements MigrationInterface {
  name = "Initial1795352461569";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`api_keys\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(120) NOT NULL, \`prefix\` varchar(32) NOT NULL, \`secret_hash\` varchar(64) NOT NULL, \`scopes\` varchar(512) NOT NULL, \`created_by_user_id\` int NULL, \`last_used_at\` datetime(3) NULL, \`revoked_at\` datetime(3) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_api_keys_prefix\` (\`prefix\`), INDEX \`idx_api_keys_created\` (\`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`audit_log\` (\`id\` int NOT NULL AUTO_INCREMENT, \`actor_type\` varchar(16) NOT NULL, \`actor_id\` int NULL, \`actor_label\` varchar(254) NOT NULL, \`action\` varchar(64) NOT NULL, \`entity_type\` varchar(64) NOT NULL, \`entity_id\` varchar(191) NULL, \`before_json\` text NULL, \`after_json\` text NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_audit_log_actor\` (\`actor_type\`, \`actor_id\`, \`id\`), INDEX \`idx_audit_log_entity\` (\`entity_type\`, \`entity_id\`, \`id\`), INDEX \`idx_audit_log_created\` (\`created_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`customers\` (\`id\` int NOT NULL AUTO_INCREMENT, \`external_id\` varchar(191) NOT NULL, \`email\` varchar(254) NULL, \`name\` varchar(255) NOT NULL DEFAULT '', \`first_seen_at\` datetime(3) NOT NULL, \`acquisition_channel\` varchar(64) NULL, \`acquisition_cost_minor\` bigint NULL, \`tags\` varchar(1024) NOT NULL DEFAULT '', \`nps\` smallint NULL, \`order_count\` int NOT NULL DEFAULT '0', \`total_spent_minor\` bigint NOT NULL DEFAULT '0', \`first_order_at\` datetime(3) NULL, \`last_order_at\` datetime(3) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_customers_external_id\` (\`external_id\`), UNIQUE INDEX \`uq_customers_email\` (\`email\`), INDEX \`idx_customers_channel\` (\`acquisition_channel\`, \`id\`), INDEX \`idx_customers_last_order\` (\`last_order_at\`, \`id\`), INDEX \`idx_customers_order_count\` (\`order_count\`, \`id\`), INDEX \`idx_customers_total_spent\` (\`total_spent_minor\`, \`id\`), INDEX \`idx_customers_first_seen\` (\`first_seen_at\`, \`id\`), INDEX \`idx_customers_name\` (\`name\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`orders\` (\`id\` int NOT NULL AUTO_INCREMENT, \`external_id\` varchar(191) NOT NULL, \`customer_id\` int NOT NULL, \`placed_at\` datetime(3) NOT NULL, \`amount_minor\` bigint NOT NULL, \`margin_minor\` bigint NULL, \`currency\` varchar(3) NOT NULL, \`status\` varchar(16) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_orders_external_id\` (\`external_id\`), INDEX \`idx_orders_customer_placed\` (\`customer_id\`, \`placed_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`users\` (\`id\` int NOT NULL AUTO_INCREMENT, \`email\` varchar(254) NOT NULL, \`name\` varchar(255) NOT NULL DEFAULT '', \`password_hash\` varchar(255) NOT NULL, \`role\` varchar(16) NOT NULL, \`disabled_at\` datetime(3) NULL, \`last_login_at\` datetime(3) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_users_email\` (\`email\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_users_email\` ON \`users\``);
    await queryRunner.query(`DROP TABLE \`users\``);
    await queryRunner.query(`DROP INDEX \`idx_orders_customer_placed\` ON \`orders\``);
    await queryRunner.query(`DROP INDEX \`uq_orders_external_id\` ON \`orders\``);
    await queryRunner.query(`DROP TABLE \`orders\``);
    await queryRunner.query(`DROP INDEX \`idx_customers_name\` ON \`customers\``);
    await queryRunner.query(`DROP INDEX \`idx_customers_first_seen\` ON \`customers\``);
    await queryRunner.query(`DROP INDEX \`idx_customers_total_spent\` ON \`customers\``);
    await queryRunner.query(`DROP INDEX \`idx_customers_order_count\` ON \`customers\``);
    await queryRunner.query(`DROP INDEX \`idx_customers_last_order\` ON \`customers\``);
    await queryRunner.query(`DROP INDEX \`idx_customers_channel\` ON \`customers\``);
    await queryRunner.query(`DROP INDEX \`uq_customers_email\` ON \`customers\``);
    await queryRunner.query(`DROP INDEX \`uq_customers_external_id\` ON \`customers\``);
    await queryRunner.query(`DROP TABLE \`customers\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_log_created\` ON \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_log_entity\` ON \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_log_actor\` ON \`audit_log\``);
    await queryRunner.query(`DROP TABLE \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`idx_api_keys_created\` ON \`api_keys\``);
    await queryRunner.query(`DROP INDEX \`uq_api_keys_prefix\` ON \`api_keys\``);
    await queryRunner.query(`DROP TABLE \`api_keys\``);
  }
}
