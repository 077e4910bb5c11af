import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: "test" },
    pool: "forks",
    maxWorkers: 2,
    // The JSON report is what .ci/run counts for its "N passed, N failed" line.
    reporters: ["default", ["json", { outputFile: "test-artefacts/vitest.json" }]],
  },
});
