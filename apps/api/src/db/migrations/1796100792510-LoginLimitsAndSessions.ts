import type { MigrationInterface, QueryRunner } from "typeorm";

// Generated against MariaDB 10.11 with dist/scripts/generate-migration.js. As for
// ValueScoring, the generator also listed ALTERs of nullable columns and index re-creations on
// the existing tables (MariaDB reports a nullable column's default as the text 'NULL'); those
// were left out, and only this migration's two tables are created here.

export class LoginLimitsAndSessions1796100792510 implements MigrationInterface {
  name = "LoginLimitsAndSessions1796100792510";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`login_attempts\` (\`kind\` varchar(8) NOT NULL, \`subject\` varchar(254) NOT NULL, \`failures\` int NOT NULL DEFAULT '0', \`last_failure_at\` datetime(3) NULL, \`locked_until\` datetime(3) NULL, PRIMARY KEY (\`kind\`, \`subject\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`sessions\` (\`id\` varchar(32) NOT NULL, \`user_id\` int NOT NULL, \`created_at\` datetime(3) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`revoked_at\` datetime(3) NULL, INDEX \`idx_sessions_user\` (\`user_id\`, \`revoked_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_sessions_user\` ON \`sessions\``);
    await queryRunner.query(`DROP TABLE \`sessions\``);
    await queryRunner.query(`DROP TABLE \`login_attempts\``);
  }
}
