import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Without this, vitest loads graphql's ESM build next to type-graphql's CJS one and the
    // schema fails with "Cannot use GraphQLObjectType from another module or realm".
    alias: { graphql: "graphql/index.js" },
  },
  test: {
    include: ["src/**/*.spec.ts", "test/**/*.spec.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
