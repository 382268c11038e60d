// The browser-side till measurement at scale (scripts/bench-till-ui.sh):
// not part of the test suites (slow, needs a prepared 100,000-product
// database). Same driver setup as the end-to-end tests.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["e2e/bench/**/*.bench-ui.ts"],
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    maxWorkers: 1,
    globalSetup: ["e2e/global-setup.ts"],
  },
});
