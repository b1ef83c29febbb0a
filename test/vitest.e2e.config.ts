import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.spec.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    // A page under CI load (the other suites run beside these) can take seconds to settle
    // after a reload: expect.poll's default of 1 s failed there with the data right.
    expect: { poll: { timeout: 10_000 } },
  },
});
