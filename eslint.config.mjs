// One flat config for the whole monorepo; each workspace runs `eslint .` from its folder.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import vue from "eslint-plugin-vue";
import prettier from "eslint-config-prettier";
import globals from "globals";

// packages/domain is pure: no framework, ORM, UI library or Node I/O may be imported there.
const forbiddenInDomain = [
  "typeorm",
  "type-graphql",
  "graphql",
  "@apollo/*",
  "express",
  "mysql2",
  "better-sqlite3",
  "vue",
  "pinia",
  "naive-ui",
  "class-validator",
  "reflect-metadata",
  "fs",
  "fs/*",
  "path",
  "http",
  "https",
  "net",
  "child_process",
  "os",
  "stream",
  "worker_threads",
  "node:*",
  "@valuetier/api",
  "@valuetier/cli",
  "@valuetier/admin",
];

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/.turbo/**",
      "**/.data/**",
      "**/coverage/**",
      "apps/admin/src/gql/**",
      "**/src/gql/**",
      "**/bench-out/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs["flat/recommended"],
  {
    files: ["**/*.vue"],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "vue/multi-word-component-names": "off",
    },
  },
  {
    files: ["**/admin/**/*.{ts,vue}", "apps/admin/**", "src/**/*.vue"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Package bin shims are plain CommonJS that load the compiled program.
    files: ["**/bin/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Applies when linting from the repo root and from inside packages/domain.
    files: ["packages/domain/**/*.ts", "**/domain/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: forbiddenInDomain.map((group) => ({
            group: [group],
            message: "packages/domain is pure TypeScript: no framework, ORM or Node I/O imports.",
          })),
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "packages/domain does no I/O: pass values in." },
        { name: "require", message: "packages/domain uses ES imports only." },
      ],
    },
  },
  prettier,
);
