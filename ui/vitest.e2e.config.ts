// End-to-end tests: drive the real app binary through tauri-driver.
// One test file at a time, one test at a time: each starts its own app.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["e2e/**/*.e2e.ts"],
    // Written this session but never run yet (no app build fitted beside the
    // helpers on 2 cores): run them with the app built, then drop this line.
    exclude: ["e2e/approvals.e2e.ts", "e2e/transfers.e2e.ts", "e2e/counts.e2e.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
    globalSetup: ["e2e/global-setup.ts"],
  },
});
