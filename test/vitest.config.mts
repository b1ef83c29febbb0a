import { defineConfig } from "vitest/config";

// Checks that span the repository (module rules); the end-to-end suite has its own config.
export default defineConfig({
  test: {
    include: ["lint/**/*.spec.ts"],
    testTimeout: 60_000,
  },
});
