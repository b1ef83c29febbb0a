import { defineConfig } from "vitest/config";

// graphql ships CJS (index.js) and ESM (index.mjs) builds. type-graphql loads the CJS one, so the
// schema's classes come from it; packages that import the ESM build (Apollo Server) would then reject them with "Cannot use GraphQLObjectType from another
// module or realm". Aliasing graphql to its CJS entry and letting vite process those packages
// (so the alias applies to them too) keeps one graphql in the test process, as in production.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^graphql$/, replacement: "graphql/index.js" },
      { find: /^graphql\/(.+)\.mjs$/, replacement: "graphql/$1.js" },
    ],
  },
  test: {
    include: ["src/**/*.spec.ts", "test/**/*.spec.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    server: {
      deps: { inline: ["@apollo/server", "@as-integrations/express5"] },
    },
  },
});
