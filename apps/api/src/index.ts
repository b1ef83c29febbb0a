import "reflect-metadata";

export { loadConfig, findRepoRoot, ConfigError, type AppConfig } from "./config";
export { createDataSource, driverOf, type Driver, type DataSourceOptions } from "./db/data-source";
export { createTestDatabase, testServerUrl, type TestDatabase } from "./testing/test-database";
