/**
 * `@valuetier/api/testing`: throwaway MySQL databases and a running API for tests and
 * benchmarks. Not part of the production entry.
 */
export { createTestDatabase, testServerUrl, type TestDatabase } from "./test-database";
export { startTestApi, type TestApi, type GraphQLResponse } from "./test-server";
export { checkCustomerAggregates, type AggregatesCheck } from "./aggregates-check";
