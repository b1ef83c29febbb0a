/** Writes apps/api/schema.graphql from the code; the admin generates its types from that file. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { lexicographicSortSchema, printSchema } from "graphql";
import { getSchema } from "../graphql/schema";

async function run(): Promise<void> {
  const schema = await getSchema();
  const header =
    "# Generated from the resolvers by `npm run build -w @valuetier/api`. DO NOT EDIT.\n\n";
  const file = path.resolve(__dirname, "../../schema.graphql");
  writeFileSync(file, header + printSchema(lexicographicSortSchema(schema)) + "\n");
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

run().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
