import "reflect-metadata";
import { ConfigError, loadConfig, nodeEnv } from "./config";
import { DatabaseOpenError, openDatabase, redact } from "./db/open-database";
import { seedDemo, DEMO_ADMIN } from "./demo/seed-demo";
import { UserService } from "./modules/users/user.service";
import { startServer } from "./server";

/**
 * `node dist/main.js [--demo]`: the production server (npm start), or with --demo the newcomer
 * experience (npm run demo): demo data created when the database is empty and a demo admin.
 */
async function run(): Promise<void> {
  const demo = process.argv.includes("--demo");
  const config = loadConfig();
  // express and Apollo read NODE_ENV too, and know only the lower-case spelling.
  if (process.env.NODE_ENV) process.env.NODE_ENV = nodeEnv(process.env);
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
    // With the first scoring run before the points are back-filled, so that they carry tiers.
    await seedDemo(dataSource, config, (line) => console.error(line), { firstScoringRun: true });
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
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.error(`${signal}: shutting down`);
    // Requests under way get Apollo's drain grace period (10 s); past this, something hangs
    // (a query that does not return, a scoring chunk that does not stop) and waiting longer
    // would only make the supervisor kill -9 the process.
    setTimeout(() => {
      console.error(`shutdown still not done after ${SHUTDOWN_TIMEOUT_MS / 1000} s: exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    server
      .close()
      .then(() => dataSource.destroy())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`shutdown failed: ${error instanceof Error ? error.message : error}`);
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

const SHUTDOWN_TIMEOUT_MS = 20_000;

run().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`configuration error: ${error.message}`);
  else if (error instanceof DatabaseOpenError) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
