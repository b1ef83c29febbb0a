import type { AppConfig } from "@valuetier/api/app";
import { CliError } from "./cli-error";

/**
 * The configuration of a command that works on the database, and the database it uses:
 * `--database-url`, else DATABASE_URL, else (undefined) the embedded SQLite file.
 * The API package is loaded here, not at start-up: it pulls in TypeORM and both database
 * drivers, which the other commands can do without.
 */
export async function databaseConfig(
  databaseUrlOption: string | undefined,
): Promise<{ config: AppConfig; databaseUrl: string | undefined }> {
  const { ConfigError, loadConfig } = await import("@valuetier/api/app");
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  const databaseUrl = databaseUrlOption ?? config.databaseUrl;
  if (databaseUrl && !/^(mysql|mariadb):\/\//.test(databaseUrl)) {
    throw new CliError(
      `--database-url must start with mysql:// (got "${databaseUrl.split(":")[0]}:")`,
    );
  }
  return { config, databaseUrl };
}
