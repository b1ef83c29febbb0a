/**
 * The module rules `npm test` enforces (`npm run lint:deps`): no import cycles anywhere, and no
 * module reaching into another one's internals. test/lint/dependency-rules.spec.ts proves that a
 * cycle fails this check.
 *
 * @type {import("dependency-cruiser").IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment:
        "An import cycle makes start-up order matter and modules impossible to load alone: " +
        "move the shared part into a module both import.",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "packages/domain holds pure rules: no app, framework, ORM or Node I/O.",
      from: { path: "^packages/domain/src" },
      to: {
        path: [
          "^apps/",
          "node_modules/(typeorm|type-graphql|express|@apollo|mysql2|better-sqlite3|vue|graphql)/",
        ],
      },
    },
    {
      name: "no-reaching-into-another-package",
      severity: "error",
      comment:
        "Use a package's exports (@valuetier/domain, @valuetier/api, …), never its source files.",
      from: { path: "^(apps|packages)/([^/]+)/" },
      to: {
        path: "^(apps|packages)/([^/]+)/src/",
        pathNot: "^$1/$2/",
      },
    },
    {
      name: "no-test-helpers-in-production",
      severity: "error",
      comment:
        "The API's test helpers (fresh databases, a test server) are for tests: production " +
        "code reaches them only through the @valuetier/api/testing entry.",
      from: {
        path: "^apps/api/src/",
        pathNot: ["^apps/api/src/testing/", "[.]spec[.]ts$", "/__tests__/"],
      },
      to: { path: "^apps/api/src/testing/" },
    },
    {
      name: "services-know-no-graphql",
      severity: "error",
      comment:
        "Services return results or throw coded DomainErrors; the GraphQL layer " +
        "(graphql/, type-graphql, *.types.ts) maps them. A service importing it would tie " +
        "the CLI and jobs to the schema.",
      from: { path: "^apps/api/src/modules/[^/]+/[^/]+[.]service[.]ts$" },
      to: { path: ["^apps/api/src/graphql/", "node_modules/type-graphql/", "[.]types[.]ts$"] },
    },
    {
      name: "resolvers-are-not-imported",
      severity: "error",
      comment:
        "Services and other modules never depend on GraphQL resolvers; only the schema does.",
      from: {
        path: "^apps/api/src/",
        pathNot: ["^apps/api/src/graphql/schema[.]ts$", "[.]spec[.]ts$", "/__tests__/"],
      },
      to: { path: "[.]resolver[.]ts$" },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules", "/dist/"] },
    exclude: { path: ["/dist/", "/node_modules/", "/src/gql/", "/screenshots/"] },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".vue", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
