import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { graphql: "graphql/index.js" } },
  test: {
    include: ["src/**/*.spec.ts", "test/**/*.spec.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
