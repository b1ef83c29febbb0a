import type { MigrationInterface, QueryRunner } from "typeorm";

// Written by hand: TypeORM's generator does not compare collations, so it cannot produce this.
// External ids were compared in the database's case-insensitive collation, so "c0000001"
// updated the customer "C0000001". Ids are exact: a binary collation (utf8mb4_bin exists in
// MySQL 8, MariaDB and TiDB alike). The existing unique indexes already hold at most one id per
// case-folded value, so no stored row can collide. MODIFY is idempotent: re-running it after a
// crash is safe.

export class ExactExternalIds1796100663233 implements MigrationInterface {
  name = "ExactExternalIds1796100663233";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE `customers` MODIFY `external_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL",
    );
    await queryRunner.query(
      "ALTER TABLE `orders` MODIFY `external_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE `orders` MODIFY `external_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL",
    );
    await queryRunner.query(
      "ALTER TABLE `customers` MODIFY `external_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL",
    );
  }
}
