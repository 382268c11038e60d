// End-to-end tests: drive the real app binary through tauri-driver.
// One test file at a time, one test at a time: each starts its own app.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["e2e/**/*.e2e.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
    globalSetup: ["e2e/global-setup.ts"],
  },
});
