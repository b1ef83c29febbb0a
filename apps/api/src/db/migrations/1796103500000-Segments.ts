import type { MigrationInterface, QueryRunner } from "typeorm";

// The segments table, as TypeORM generates it for SegmentEntity on MySQL (the MariaDB
// generator's false diffs on existing nullable columns left out, as in ValueScoring).

export class Segments1796103500000 implements MigrationInterface {
  name = "Segments1796103500000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `segments` (`id` int NOT NULL AUTO_INCREMENT, `name` varchar(120) NOT NULL, " +
        "`query` text NOT NULL, `audience_json` text NOT NULL, `created_by` varchar(254) NOT NULL, " +
        "`created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), " +
        "`updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), " +
        "UNIQUE INDEX `uq_segments_name` (`name`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE `segments`");
  }
}
