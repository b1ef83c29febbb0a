import "reflect-metadata";
import { ConfigError, loadConfig } from "./config";
import { openDatabase, redact } from "./db/open-database";
import { seedDemo, DEMO_ADMIN } from "./demo/seed-demo";
import { UserService } from "./modules/users/user.service";
import { systemActor } from "./modules/audit/audit.service";
import { ScoringRunService } from "./modules/value/scoring-run.service";
import { startServer } from "./server";

/**
 * `node dist/main.js [--demo]`: the production server (npm start), or with --demo the newcomer
 * experience (npm run demo): demo data created when the database is empty and a demo admin.
 */
async function run(): Promise<void> {
  const demo = process.argv.includes("--demo");
  const config = loadConfig();
  const dataSource = await openDatabase(config);
  const users = new UserService(dataSource);

  let login: { email: string; password: string } | null = null;
  if (config.adminEmail && config.adminPassword) {
    await users.ensureFirstAdmin(config.adminEmail, config.adminPassword);
    login = demo ? { email: config.adminEmail, password: "(ADMIN_PASSWORD)" } : null;
  } else if (demo) {
    await users.ensureFirstAdmin(DEMO_ADMIN.email, DEMO_ADMIN.password);
    login = DEMO_ADMIN;
  }
  if (demo) {
    const seeded = await seedDemo(dataSource, config, (line) => console.error(line));
    if (seeded > 0) {
      // A first scoring run, so that the demo shows customer value from the start.
      const run = await new ScoringRunService(dataSource, {
        currency: config.defaultCurrency,
        defaultMarginRate: config.defaultMarginRate,
      }).runNow(systemActor("demo"));
      console.error(
        `Scored ${run.customersScored.toLocaleString("en")} demo customers (scoring run ${run.id}).`,
      );
    }
  }

  const server = await startServer(config, dataSource);
  // 127.0.0.1 and the wildcard addresses are all reachable as localhost on this machine.
  const url = server.url.replace(/\/\/(127\.0\.0\.1|0\.0\.0\.0|\[::1?\]|::1?):/, "//localhost:");
  const where = config.databaseUrl
    ? redact(config.databaseUrl)
    : `embedded SQLite at ${config.sqlitePath}`;
  console.log(`ValueTier is running at ${url}  (GraphQL: ${url}/graphql, database: ${where})`);
  if (login) console.log(`Log in as ${login.email} with password ${login.password}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: shutting down`);
    await server.close();
    await dataSource.destroy();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

run().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`configuration error: ${error.message}`);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
