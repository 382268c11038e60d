#!/usr/bin/env bash
# Tests of the desktop app, from a fresh Debian/Ubuntu machine:
#   1. installs what is missing (apt packages, npm ci, tauri-driver)
#   2. UI: tsc --noEmit, eslint, vitest unit tests
#   3. shell: cargo fmt --check, clippy -D warnings, cargo test (pharmapos-desktop)
#   4. builds the real app (`tauri build --debug --no-bundle`)
#   5. end-to-end tests driving that app with tauri-driver + WebKitWebDriver
#      under xvfb-run; screenshots go to docs/screenshots/
# Non-interactive; exits non-zero on the first failure. Honours
# CARGO_TARGET_DIR. SKIP_E2E=1 stops after step 3 (no app build).
set -euo pipefail
# shellcheck source=lib-desktop.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-desktop.sh"
cd "$ROOT"

started=$SECONDS
step() { log "$* (+$((SECONDS - started))s)"; }
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

step "system packages"
apt_ensure "${BUILD_PACKAGES[@]}" "${HEADLESS_PACKAGES[@]}" "${E2E_PACKAGES[@]}"
require_toolchains
step "npm packages"
npm_ensure
if [ "${SKIP_E2E:-0}" != 1 ] && ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  step "cargo install tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

step "UI: typecheck"
(cd ui && npx --no-install tsc --noEmit)
step "UI: lint"
(cd ui && npx --no-install eslint --max-warnings 0 .)
step "UI: unit tests"
(cd ui && npx --no-install vitest run --reporter=default --reporter=json --outputFile="$results/unit.json")

step "shell: fmt, clippy, tests"
cargo fmt -p pharmapos-desktop -- --check
cargo clippy -p pharmapos-desktop --all-targets --quiet -- -D warnings
cargo test -p pharmapos-desktop --quiet
# The shell's generated TypeScript types must be committed as generated.
if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- ui/src/bindings/shell; then
  git --no-pager diff --stat -- ui/src/bindings/shell
  die "ui/src/bindings/shell is stale: commit the regenerated files"
fi

if [ "${SKIP_E2E:-0}" != 1 ]; then
  step "build the app (tauri build --debug --no-bundle)"
  tauri_cli build --debug --no-bundle
  # Beside it: the CLI (tests prepare files with it) and the central server
  # (the sync test runs it over a throw-away PostgreSQL cluster).
  cargo build --quiet -p pharmapos-cli -p pharmapos-server
  export PHARMAPOS_APP
  PHARMAPOS_APP="$(app_binary debug)"
  step "end-to-end tests under Xvfb"
  xvfb-run -a -s "-screen 0 1366x768x24 -nolisten tcp" \
    bash -c 'cd ui && npx --no-install vitest run --config vitest.e2e.config.ts --reporter=default --reporter=json --outputFile="$0/e2e.json"' "$results"
fi

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0;
  for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests;
  }
  console.log(`desktop: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
' "$results"
step "desktop tests done"
