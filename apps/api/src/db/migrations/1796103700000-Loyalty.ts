import type { MigrationInterface, QueryRunner } from "typeorm";

// The loyalty programme (issue 10), as TypeORM generates it for the entities of
// modules/loyalty/loyalty.entity.ts on MySQL: settings (one row), accounts with the balances
// cached from the ledger, lots, the append-only ledger entries, which lot each entry changed,
// the rewards catalogue and redemptions with their unique coupon codes. The settings row is not
// inserted here: the loyalty service creates it with the domain's defaults on first use, the same
// way on MySQL and the embedded SQLite database.

export class Loyalty1796103700000 implements MigrationInterface {
  name = "Loyalty1796103700000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `loyalty_settings` (`id` int NOT NULL, `settings_json` text NOT NULL, `updated_by` varchar(254) NOT NULL, " +
        "`updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `loyalty_accounts` (`customer_id` int NOT NULL, `balance` bigint NOT NULL DEFAULT '0', " +
        "`available` bigint NOT NULL DEFAULT '0', `pending` bigint NOT NULL DEFAULT '0', " +
        "`lifetime_earned` bigint NOT NULL DEFAULT '0', `lifetime_redeemed` bigint NOT NULL DEFAULT '0', " +
        "`lifetime_expired` bigint NOT NULL DEFAULT '0', `next_lot` int NOT NULL DEFAULT '1', " +
        "`next_entry` int NOT NULL DEFAULT '1', `last_at` datetime(3) NULL, `version` int NOT NULL DEFAULT '0', " +
        "PRIMARY KEY (`customer_id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `loyalty_lots` (`account_id` int NOT NULL, `lot_no` int NOT NULL, `kind` varchar(8) NOT NULL, " +
        "`source` varchar(255) NOT NULL, `points` bigint NOT NULL, `remaining` bigint NOT NULL, " +
        "`earned_at` datetime(3) NOT NULL, `pending_until` datetime(3) NOT NULL, `expires_at` datetime(3) NULL, " +
        "`available` tinyint NOT NULL, `is_open` tinyint NOT NULL, " +
        "INDEX `idx_loyalty_lots_expiry` (`is_open`, `expires_at`), INDEX `idx_loyalty_lots_pending` (`available`, `pending_until`), " +
        "INDEX `idx_loyalty_lots_source` (`account_id`, `source`), INDEX `idx_loyalty_lots_open` (`account_id`, `is_open`), " +
        "PRIMARY KEY (`account_id`, `lot_no`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `loyalty_entries` (`account_id` int NOT NULL, `seq` int NOT NULL, `type` varchar(16) NOT NULL, " +
        "`at` datetime(3) NOT NULL, `points` bigint NOT NULL, `available_change` bigint NOT NULL, " +
        "`pending_change` bigint NOT NULL, `reason` varchar(500) NOT NULL, `source` varchar(255) NOT NULL, " +
        "`source_kind` varchar(16) NOT NULL, `source_id` varchar(64) NULL, `operation` varchar(32) NOT NULL, " +
        "`idempotency_key` varchar(191) NULL, `tier_key` varchar(64) NULL, `activated_lot` int NULL, " +
        "`activated_points` bigint NULL, `clawback_json` text NULL, `refund_json` text NULL, " +
        "INDEX `idx_loyalty_entries_at` (`at`), INDEX `idx_loyalty_entries_type_at` (`account_id`, `type`, `at`), " +
        "INDEX `idx_loyalty_entries_source` (`account_id`, `source`, `type`), " +
        "UNIQUE INDEX `uq_loyalty_entries_idempotency` (`account_id`, `idempotency_key`), " +
        "PRIMARY KEY (`account_id`, `seq`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `loyalty_lot_changes` (`account_id` int NOT NULL, `entry_seq` int NOT NULL, `n` int NOT NULL, " +
        "`lot_no` int NOT NULL, `points` bigint NOT NULL, INDEX `idx_loyalty_lot_changes_lot` (`account_id`, `lot_no`), " +
        "PRIMARY KEY (`account_id`, `entry_seq`, `n`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `loyalty_rewards` (`id` int NOT NULL AUTO_INCREMENT, `name` varchar(120) NOT NULL, " +
        "`description` text NOT NULL, `points_cost` int NOT NULL, `tier_keys` text NULL, `stock` int NULL, " +
        "`remaining` int NULL, `per_customer_limit` int NULL, `valid_from` datetime(3) NULL, " +
        "`valid_until` datetime(3) NULL, `active` tinyint NOT NULL DEFAULT '1', " +
        "`coupon_prefix` varchar(16) NOT NULL DEFAULT '', " +
        "`created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), " +
        "`updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), " +
        "INDEX `idx_loyalty_rewards_active` (`active`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `loyalty_redemptions` (`id` int NOT NULL AUTO_INCREMENT, `reward_id` int NOT NULL, " +
        "`account_id` int NOT NULL, `entry_seq` int NOT NULL, `points` int NOT NULL, `code` varchar(64) NOT NULL, " +
        "`status` varchar(16) NOT NULL, `idempotency_key` varchar(191) NULL, `redeemed_at` datetime(3) NOT NULL, " +
        "`reversal_entry_seq` int NULL, `reversed_at` datetime(3) NULL, " +
        "INDEX `idx_loyalty_redemptions_reward` (`account_id`, `reward_id`, `status`), " +
        "UNIQUE INDEX `uq_loyalty_redemptions_idempotency` (`account_id`, `idempotency_key`), " +
        "UNIQUE INDEX `uq_loyalty_redemptions_code` (`code`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE `loyalty_redemptions`");
    await queryRunner.query("DROP TABLE `loyalty_rewards`");
    await queryRunner.query("DROP TABLE `loyalty_lot_changes`");
    await queryRunner.query("DROP TABLE `loyalty_entries`");
    await queryRunner.query("DROP TABLE `loyalty_lots`");
    await queryRunner.query("DROP TABLE `loyalty_accounts`");
    await queryRunner.query("DROP TABLE `loyalty_settings`");
  }
}
