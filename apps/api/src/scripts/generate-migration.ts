/**
 * Generates a MySQL migration from the difference between the entities and a real database:
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/valuetier_dev node dist/scripts/generate-migration.js AddThing
 * Runs the committed migrations first, then writes src/db/migrations/<timestamp>-<Name>.ts with
 * what the schema builder says is missing. Add the class to src/db/migrations/index.ts by hand.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createDataSource } from "../db/data-source";

async function run(): Promise<void> {
  const name = process.argv[2];
  const url = process.env.DATABASE_URL;
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name))
    throw new Error("usage: generate-migration PascalName");
  if (!url) throw new Error("DATABASE_URL (mysql://…) is required");
  const ds = createDataSource({ databaseUrl: url });
  await ds.initialize();
  await ds.runMigrations();
  const sql = await ds.driver.createSchemaBuilder().log();
  await ds.destroy();
  if (sql.upQueries.length === 0) {
    console.log("schema is up to date: nothing to generate");
    return;
  }
  const ts = Date.now();
  const q = (s: string) => "`" + s.replace(/`/g, "\\`").replace(/\$\{/g, "\\${") + "`";
  const up = sql.upQueries.map((x) => `    await queryRunner.query(${q(x.query)});`).join("\n");
  const down = [...sql.downQueries]
    .reverse()
    .map((x) => `    await queryRunner.query(${q(x.query)});`)
    .join("\n");
  const body = `import type { MigrationInterface, QueryRunner } from "typeorm";

export class ${name}${ts} implements MigrationInterface {
  name = "${name}${ts}";

  public async up(queryRunner: QueryRunner): Promise<void> {
${up}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${down}
  }
}
`;
  const file = path.resolve(__dirname, "../../src/db/migrations", `${ts}-${name}.ts`);
  writeFileSync(file, body);
  console.log(`wrote ${file}`);
}

run().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
