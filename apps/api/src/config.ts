import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Configuration, read from the environment and validated once at start-up. Every variable is
 * documented in `.env.example` at the repo root. Nothing else in the API reads process.env.
 */
export interface AppConfig {
  /** mysql://… for MySQL/MariaDB; undefined for the embedded SQLite file. */
  databaseUrl: string | undefined;
  /** Folder for the embedded database and generated local secrets. */
  dataDir: string;
  sqlitePath: string;
  host: string;
  port: number;
  jwtSecret: string;
  tokenTtlSeconds: number;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  migrationsRun: boolean;
  /** ISO 4217 code of the store currency; money without a currency (acquisition cost) is in it. */
  defaultCurrency: string;
  /** Margin rate applied to orders whose margin is empty, as a decimal string such as "0.3". */
  defaultMarginRate: string;
  maxQueryDepth: number;
  maxQueryCost: number;
  /** Checked on the query text before graphql validates it (docs/graphql-limits.md). */
  maxQueryBytes: number;
  maxQueryTokens: number;
  maxQueryAliases: number;
  /** Field resolutions one response may hold. */
  maxResponseFields: number;
  /** Request budget per API key, in cost units; null when GRAPHQL_KEY_BUDGET=0. */
  apiKeyBudget: { capacity: number; refillPerSecond: number } | null;
  /** Request budget per client address of requests without credentials; null when 0. */
  anonymousBudget: { capacity: number; refillPerSecond: number } | null;
  /** Where the built admin app is; served at / when it exists. */
  adminDistDir: string;
  /**
   * Express's "trust proxy": which hops may set X-Forwarded-For, so that the client address
   * (login limits, anonymous budgets, the audit log) is the caller's and not the proxy's.
   * false: none (the default, right when nothing sits in front of the server).
   */
  trustProxy: boolean | number | string;
  production: boolean;
}

/**
 * TRUST_PROXY: empty or "false" (no proxy), "true" (any: only behind a proxy that always sets
 * the header), a number of hops, or addresses/subnets separated by commas ("loopback",
 * "10.0.0.0/8").
 */
function trustProxy(value: string | undefined): boolean | number | string {
  const text = value?.trim() ?? "";
  if (text === "" || text.toLowerCase() === "false") return false;
  if (text.toLowerCase() === "true") return true;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  if (/^[0-9a-fA-F:.,/\sa-z]+$/.test(text)) return text;
  throw new ConfigError(
    `TRUST_PROXY must be false, true, a number of proxies or a comma-separated list of addresses, got "${text}"`,
  );
}

let dotEnvLoaded = false;

/**
 * Reads `.env` at the repository root (README: `cp .env.example .env`), or in the working
 * directory when the API runs outside the repository, into process.env once. Variables already
 * set in the environment win over the file, so a deployment's own settings are never overridden.
 */
export function loadDotEnv(): void {
  if (dotEnvLoaded) return;
  dotEnvLoaded = true;
  for (const file of [path.join(findRepoRoot(), ".env"), path.resolve(".env")]) {
    if (!existsSync(file)) continue;
    try {
      process.loadEnvFile(file);
    } catch (error) {
      throw new ConfigError(
        `${file}: cannot be read as KEY=value lines (${error instanceof Error ? error.message : error})`,
      );
    }
    return;
  }
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** The repository root: the nearest folder above `from` whose package.json declares workspaces. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, "utf8")).workspaces) return dir;
      } catch {
        // not JSON we can read: keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

function int(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** A token bucket from NAME (capacity, 0 for none) and NAME_REFILL (units a second). */
function budget(
  env: NodeJS.ProcessEnv,
  name: string,
  capacity: number,
  refillPerSecond: number,
): { capacity: number; refillPerSecond: number } | null {
  const size = int(env, name, capacity, 0, 1_000_000_000);
  const refill = int(env, `${name}_REFILL`, refillPerSecond, 1, 1_000_000_000);
  return size === 0 ? null : { capacity: size, refillPerSecond: refill };
}

/** Reads a secret from the data dir, creating it on first use, so demo tokens survive restarts. */
function localSecret(dataDir: string): string {
  const file = path.join(dataDir, "jwt-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

const NODE_ENVS = ["production", "development", "test"] as const;

/**
 * NODE_ENV, case aside; unset is development. Any other value is refused: "Production" or
 * "prod" used to run in development mode without a word (introspection on, stack traces sent).
 */
export function nodeEnv(env: NodeJS.ProcessEnv): (typeof NODE_ENVS)[number] {
  const raw = env.NODE_ENV?.trim();
  if (!raw) return "development";
  const value = NODE_ENVS.find((allowed) => allowed === raw.toLowerCase());
  if (!value) {
    throw new ConfigError(
      `NODE_ENV must be one of ${NODE_ENVS.join(", ")} (any case), got "${raw}"`,
    );
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  if (env === process.env) loadDotEnv();
  const production = nodeEnv(env) === "production";
  const root = findRepoRoot();
  const dataDir = path.resolve(root, env.DATA_DIR || ".data");
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^(mysql|mariadb):\/\//.test(databaseUrl)) {
    throw new ConfigError(
      `DATABASE_URL must start with mysql:// (got "${databaseUrl.split(":")[0]}:")`,
    );
  }
  const jwtSecret = env.JWT_SECRET?.trim();
  if (production && !jwtSecret)
    throw new ConfigError("JWT_SECRET is required when NODE_ENV=production");
  if (jwtSecret && jwtSecret.length < 32)
    throw new ConfigError("JWT_SECRET must be at least 32 characters");
  const defaultCurrency = (env.DEFAULT_CURRENCY || "USD").toUpperCase();
  if (!/^[A-Z]{3}$/.test(defaultCurrency)) {
    throw new ConfigError(
      `DEFAULT_CURRENCY must be a three-letter ISO 4217 code, got "${defaultCurrency}"`,
    );
  }
  const defaultMarginRate = env.DEFAULT_MARGIN_RATE || "0.3";
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(defaultMarginRate)) {
    throw new ConfigError(
      `DEFAULT_MARGIN_RATE must be a decimal from 0 to 1, got "${defaultMarginRate}"`,
    );
  }
  const adminEmail = env.ADMIN_EMAIL?.trim() || undefined;
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError("ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither");
  }
  if (adminPassword !== undefined && adminPassword.length < 8) {
    throw new ConfigError("ADMIN_PASSWORD must be at least 8 characters");
  }
  return {
    databaseUrl,
    dataDir,
    sqlitePath: path.resolve(dataDir, env.SQLITE_FILE || "valuetier.sqlite"),
    host: env.HOST || "127.0.0.1",
    port: int(env, "PORT", 4000, 0, 65535),
    jwtSecret: jwtSecret || localSecret(dataDir),
    tokenTtlSeconds: int(env, "TOKEN_TTL_SECONDS", 12 * 3600, 60, 30 * 24 * 3600),
    adminEmail,
    adminPassword,
    migrationsRun: bool(env, "MIGRATIONS_RUN", true),
    defaultCurrency,
    defaultMarginRate,
    maxQueryDepth: int(env, "GRAPHQL_MAX_DEPTH", 10, 2, 50),
    maxQueryCost: int(env, "GRAPHQL_MAX_COST", 50_000, 100, 10_000_000),
    maxQueryBytes: int(env, "GRAPHQL_MAX_QUERY_BYTES", 32_768, 1024, 10_000_000),
    maxQueryTokens: int(env, "GRAPHQL_MAX_TOKENS", 1000, 100, 100_000),
    maxQueryAliases: int(env, "GRAPHQL_MAX_ALIASES", 50, 0, 10_000),
    maxResponseFields: int(env, "GRAPHQL_MAX_RESPONSE_FIELDS", 100_000, 100, 100_000_000),
    apiKeyBudget: budget(env, "GRAPHQL_KEY_BUDGET", 200_000, 5_000),
    anonymousBudget: budget(env, "GRAPHQL_ANONYMOUS_BUDGET", 20_000, 500),
    adminDistDir: path.resolve(env.ADMIN_DIST_DIR || path.join(root, "apps/admin/dist")),
    trustProxy: trustProxy(env.TRUST_PROXY),
    production,
  };
}
