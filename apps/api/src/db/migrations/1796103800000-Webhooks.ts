import type { MigrationInterface, QueryRunner } from "typeorm";

// Webhooks (events out): endpoints, the event outbox and one delivery row per event and
// endpoint, as TypeORM generates them for the webhooks module's entities on MySQL.

export class Webhooks1796103800000 implements MigrationInterface {
  name = "Webhooks1796103800000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `webhook_endpoints` (`id` int NOT NULL AUTO_INCREMENT, `url` varchar(2000) NOT NULL, " +
        "`description` varchar(200) NOT NULL DEFAULT '', `events` varchar(500) NOT NULL, `secret` varchar(100) NOT NULL, " +
        "`active` tinyint NOT NULL DEFAULT '1', `disabled_at` datetime(3) NULL, `created_by` varchar(254) NOT NULL, `created_at` datetime(3) NOT NULL, " +
        "`updated_at` datetime(3) NOT NULL, INDEX `idx_webhook_endpoints_created` (`created_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `webhook_events` (`id` int NOT NULL AUTO_INCREMENT, `type` varchar(64) NOT NULL, " +
        "`event_key` varchar(191) NOT NULL, `payload_json` text NOT NULL, `fanned_out` tinyint NOT NULL DEFAULT '0', " +
        "`created_at` datetime(3) NOT NULL, INDEX `idx_webhook_events_fan_out` (`fanned_out`, `id`), " +
        "UNIQUE INDEX `uq_webhook_events_key` (`type`, `event_key`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `webhook_deliveries` (`id` int NOT NULL AUTO_INCREMENT, `event_id` int NOT NULL, " +
        "`endpoint_id` int NOT NULL, `status` varchar(16) NOT NULL, `attempts` int NOT NULL DEFAULT '0', " +
        "`manual_retry` tinyint NOT NULL DEFAULT '0', `next_attempt_at` datetime(3) NULL, `lease_token` varchar(32) NULL, " +
        "`lease_until` datetime(3) NULL, `last_attempt_at` datetime(3) NULL, `response_status` int NULL, " +
        "`response_excerpt` varchar(500) NULL, `last_error` varchar(500) NULL, `duration_ms` int NULL, " +
        "`delivered_at` datetime(3) NULL, `created_at` datetime(3) NOT NULL, " +
        "INDEX `idx_webhook_deliveries_endpoint` (`endpoint_id`, `id`), INDEX `idx_webhook_deliveries_due` (`status`, `next_attempt_at`), " +
        "UNIQUE INDEX `uq_webhook_deliveries_event_endpoint` (`event_id`, `endpoint_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE `webhook_deliveries`");
    await queryRunner.query("DROP TABLE `webhook_events`");
    await queryRunner.query("DROP TABLE `webhook_endpoints`");
  }
}
