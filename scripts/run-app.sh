#!/usr/bin/env bash
# Sets up a Debian/Ubuntu machine for PharmaPOS desktop and starts the app.
#
#   scripts/run-app.sh                 build the app (debug, UI built in) and start it
#   scripts/run-app.sh --release       same, optimised build
#   scripts/run-app.sh --dev           `tauri dev`: live-reloading UI for development
#   scripts/run-app.sh --headless      start it under Xvfb (no display needed);
#                                      screenshots: DISPLAY=:99 import -window root shot.png
#   scripts/run-app.sh -- --db FILE    pass arguments to the app (e.g. another database)
#
# Installs missing system packages with apt (sudo when not root) and the UI's
# npm packages. Needs Rust (rustup) and Node.js 20.19+.
set -euo pipefail
# shellcheck source=lib-desktop.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-desktop.sh"

mode=build profile=debug headless=0 app_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dev) mode=dev ;;
    --release) profile=release ;;
    --headless) headless=1 ;;
    --) shift; app_args=("$@"); break ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

apt_ensure "${BUILD_PACKAGES[@]}"
[ "$headless" -eq 1 ] && apt_ensure "${HEADLESS_PACKAGES[@]}" imagemagick
require_toolchains
npm_ensure
cd "$ROOT"

xvfb_pid=""
cleanup() { [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true; }
trap cleanup EXIT
if [ "$headless" -eq 1 ]; then
  display="${PHARMAPOS_DISPLAY:-:99}"
  log "starting Xvfb on $display (1366x768)"
  Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  export DISPLAY="$display"
  sleep 1
  log "screenshot with: DISPLAY=$display import -window root shot.png"
fi

if [ "$mode" = dev ]; then
  log "starting tauri dev"
  if [ "${#app_args[@]}" -gt 0 ]; then tauri_cli dev -- -- "${app_args[@]}"; else tauri_cli dev; fi
else
  if [ "$profile" = release ]; then
    log "building the app (release)"; tauri_cli build --no-bundle
  else
    log "building the app (debug)"; tauri_cli build --debug --no-bundle
  fi
  bin="$(app_binary "$profile")"
  log "starting $bin ${app_args[*]}"
  "$bin" "${app_args[@]}"
fi
