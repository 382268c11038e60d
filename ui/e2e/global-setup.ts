// Starts one tauri-driver (which starts WebKitWebDriver, which starts the app
// per session) for the whole e2e run, and stops it afterwards. Each test then
// opens its own app with its own fresh database file.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { portOpen } from "./central";
import { appBinary, DRIVER_PORT, NATIVE_PORT, SCREENSHOTS, tauriDriver } from "./paths";


async function waitForPort(port: number, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited with code ${child.exitCode}`);
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on port ${port} within ${ms} ms`);
}

export default async function setup(): Promise<() => Promise<void>> {
  const app = appBinary();
  if (!existsSync(app)) {
    throw new Error(`App binary not found at ${app}. Build it first: ui/node_modules/.bin/tauri build --debug --no-bundle`);
  }
  if (!process.env["DISPLAY"] && !process.env["WAYLAND_DISPLAY"]) {
    throw new Error("No display: run the e2e tests under xvfb-run (scripts/test-desktop.sh does).");
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The webview's own data (cache, local storage) goes to a throwaway folder.
  const xdg = mkdtempSync(join(tmpdir(), "pharmapos-e2e-xdg-"));
  // Exports go to a throwaway folder too, not this machine's Downloads.
  const exports = mkdtempSync(join(tmpdir(), "pharmapos-e2e-exports-"));
  // No keyring service runs under Xvfb: a store's sync secret goes to the
  // documented alternative, a private folder (mkdtemp makes it 0700).
  const secrets = mkdtempSync(join(tmpdir(), "pharmapos-e2e-secrets-"));
  const driver = spawn(tauriDriver(), ["--port", String(DRIVER_PORT), "--native-port", String(NATIVE_PORT)], {
    env: { ...process.env, XDG_DATA_HOME: xdg, PHARMAPOS_DB: "", PHARMAPOS_EXPORT_DIR: exports, PHARMAPOS_SYNC_SECRET_DIR: secrets },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForPort(DRIVER_PORT, driver, 20_000);
  return async () => {
    driver.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    if (driver.exitCode === null) driver.kill("SIGKILL");
    rmSync(xdg, { recursive: true, force: true });
    rmSync(exports, { recursive: true, force: true });
    rmSync(secrets, { recursive: true, force: true });
  };
}
