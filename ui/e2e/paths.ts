// Where the end-to-end tests find things: the repository, the app binary
// (built by `tauri build --debug --no-bundle`, honouring CARGO_TARGET_DIR),
// tauri-driver, and the screenshots folder.
import { existsSync, mkdirSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function appBinary(): string {
  if (process.env["PHARMAPOS_APP"]) return resolve(process.env["PHARMAPOS_APP"]);
  const target = process.env["CARGO_TARGET_DIR"];
  const dir = target ? (isAbsolute(target) ? target : join(REPO, target)) : join(REPO, "target");
  return join(dir, "debug", "pharmapos-desktop");
}

export function tauriDriver(): string {
  if (process.env["TAURI_DRIVER"]) return process.env["TAURI_DRIVER"];
  const cargoHome = process.env["CARGO_HOME"] ?? join(homedir(), ".cargo");
  const inCargo = join(cargoHome, "bin", "tauri-driver");
  return existsSync(inCargo) ? inCargo : "tauri-driver";
}

/** Where screenshots go: docs/screenshots/ (the README's pictures) only when
 *  asked with UPDATE_SCREENSHOTS=1, so that a test run leaves the checkout
 *  as it found it; otherwise a folder under the system temp dir. */
export const SCREENSHOTS = process.env["UPDATE_SCREENSHOTS"] === "1"
  ? join(REPO, "docs", "screenshots")
  : join(tmpdir(), "pharmapos-e2e-screenshots");
mkdirSync(SCREENSHOTS, { recursive: true });

export const DRIVER_PORT = Number(process.env["TAURI_DRIVER_PORT"] ?? 4444);
export const NATIVE_PORT = Number(process.env["TAURI_NATIVE_PORT"] ?? 4445);
