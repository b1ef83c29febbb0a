import type { MigrationInterface, QueryRunner } from "typeorm";

// Generated against MariaDB 10.11 with dist/scripts/generate-migration.js. As for the earlier
// migrations, the generator also listed ALTERs of nullable columns and index re-creations on
// the existing tables (MariaDB reports a nullable column's default as the text 'NULL'); those
// were left out: only the job runner's three tables and scoring_runs.job_id are created here.

export class JobRunner1796102393676 implements MigrationInterface {
  name = "JobRunner1796102393676";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`job_locks\` (\`kind\` varchar(64) NOT NULL, \`job_id\` int NULL, \`owner\` varchar(255) NOT NULL DEFAULT '', \`heartbeat_at\` datetime(3) NULL, PRIMARY KEY (\`kind\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`job_schedules\` (\`kind\` varchar(64) NOT NULL, \`mode\` varchar(16) NOT NULL, \`time_of_day\` varchar(5) NOT NULL DEFAULT '02:00', \`time_zone\` varchar(64) NOT NULL DEFAULT 'UTC', \`enabled\` tinyint NOT NULL DEFAULT '1', \`next_run_at\` datetime(3) NULL, \`last_job_id\` int NULL, \`last_import_audit_id\` int NULL, \`updated_at\` datetime(3) NOT NULL, \`updated_by\` varchar(254) NOT NULL, PRIMARY KEY (\`kind\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`jobs\` (\`id\` int NOT NULL AUTO_INCREMENT, \`kind\` varchar(64) NOT NULL, \`status\` varchar(16) NOT NULL, \`progress\` double NOT NULL DEFAULT '0', \`progress_message\` varchar(500) NULL, \`params_json\` text NULL, \`result_json\` text NULL, \`error\` text NULL, \`requested_by\` varchar(254) NOT NULL, \`cancel_requested\` tinyint NOT NULL DEFAULT '0', \`cancelled_by\` varchar(254) NULL, \`attempt\` int NOT NULL DEFAULT '1', \`owner\` varchar(255) NOT NULL DEFAULT '', \`heartbeat_at\` datetime(3) NULL, \`started_at\` datetime(3) NULL, \`finished_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`idx_jobs_status\` (\`status\`, \`id\`), INDEX \`idx_jobs_kind\` (\`kind\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`scoring_runs\` ADD \`job_id\` int NULL`);
    await queryRunner.query(
      `CREATE INDEX \`idx_scoring_runs_job\` ON \`scoring_runs\` (\`job_id\`)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_scoring_runs_job\` ON \`scoring_runs\``);
    await queryRunner.query(`ALTER TABLE \`scoring_runs\` DROP COLUMN \`job_id\``);
    await queryRunner.query(`DROP INDEX \`idx_jobs_kind\` ON \`jobs\``);
    await queryRunner.query(`DROP INDEX \`idx_jobs_status\` ON \`jobs\``);
    await queryRunner.query(`DROP TABLE \`jobs\``);
    await queryRunner.query(`DROP TABLE \`job_schedules\``);
    await queryRunner.query(`DROP TABLE \`job_locks\``);
  }
}
