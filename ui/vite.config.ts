/// <reference types="vitest/config" />
// Vite config for the PharmaPOS UI. The Tauri shell loads the dev server at
// http://localhost:5173 (`tauri dev`) or the built files in ui/dist.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 5173, strictPort: true, host: "127.0.0.1" },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    target: "safari15",
    sourcemap: true,
    outDir: "dist",
    emptyOutDir: true,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-setup.ts"],
    css: false,
    // Generous limits: the suite also runs on a loaded 2-core CI machine,
    // where a render can take seconds; a wrong result still fails.
    testTimeout: 30_000,
  },
});
