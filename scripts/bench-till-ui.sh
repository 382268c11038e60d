#!/usr/bin/env bash
# The till in the real webview at scale (NOT run by CI: about 20 minutes on
# 2 cores the first time, most of it building the database and the app):
#   1. builds the CLI in release and, once (cached), a store database with
#      100,000 products and 1,000,000 batches with the benchmark workload
#      (`pharmapos bench --sales 0 --search`: barcode 6000000000000+i, SKU
#      SKU-000001…, name "Product i"), plus a cashier with a PIN to sign in;
#   2. builds the desktop app (release unless BUILD=debug);
#   3. opens the app on a copy of that database through tauri-driver under
#      Xvfb (as ui/e2e does), signs in, opens the shift, and sends >= 200
#      simulated scanner bursts of random barcodes (five lines per cart,
#      then cancel) and 20 five-line cash sales, timing in the webview with
#      performance.now(): first key of the burst -> the line in the DOM (and
#      the next frame), first scan -> receipt shown;
#   4. prints the result as JSON (p50/p99/max in ms) with the load average.
#
#   scripts/bench-till-ui.sh          # env: BUILD=release|debug, REBUILD_DB=1,
#                                     # PRODUCTS, BATCHES_PER_PRODUCT, BURSTS, SALES, SEED
# Honours CARGO_TARGET_DIR; the database is cached in $BENCH_CACHE
# (default ~/.cache/pharmapos/bench).
set -euo pipefail
# shellcheck source=lib-desktop.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-desktop.sh"
cd "$ROOT"

BUILD="${BUILD:-release}"
PRODUCTS="${PRODUCTS:-100000}"
BATCHES_PER_PRODUCT="${BATCHES_PER_PRODUCT:-10}"
BURSTS="${BURSTS:-200}"
SALES="${SALES:-20}"
SEED="${SEED:-42}"
case "$BUILD" in release | debug) ;; *) die "BUILD must be release or debug" ;; esac

apt_ensure "${BUILD_PACKAGES[@]}" "${HEADLESS_PACKAGES[@]}" "${E2E_PACKAGES[@]}"
require_toolchains
npm_ensure
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  log "cargo install tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

target="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$target" in /*) ;; *) target="$ROOT/$target" ;; esac
cache="${BENCH_CACHE:-$HOME/.cache/pharmapos/bench}"
mkdir -p "$cache"

log "build the CLI (release)"
cargo build --release -q -p pharmapos-cli >&2
cli="$target/release/pharmapos"

db="$cache/till-ui-${PRODUCTS}x${BATCHES_PER_PRODUCT}.db"
if [ ! -f "$db" ] || [ "${REBUILD_DB:-0}" = 1 ]; then
  rm -f "$db" "$db-wal" "$db-shm" "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
  log "build the store database: $PRODUCTS products x $BATCHES_PER_PRODUCT batches (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  started=$SECONDS
  "$cli" --db "$db.tmp" bench --products "$PRODUCTS" --batches-per-product "$BATCHES_PER_PRODUCT" \
    --sales 0 --seed 42 --sync NORMAL --search >"$cache/till-ui-bench-setup.json"
  # The bench's admin ("bench") has no PIN; the app signs in with one.
  "$cli" --db "$db.tmp" --user bench call create_user '{"name":"Till Bench","role":"cashier","pin":"2468"}' >/dev/null
  # A store that has been running has its alerts raised already (half a
  # million here: most generated lots have expired by now); the first sweep
  # of a new file is not what a till's day looks like.
  "$cli" --db "$db.tmp" --user bench call run_alert_sweep '{}' >/dev/null
  mv "$db.tmp" "$db"
  for ext in -wal -shm; do [ -f "$db.tmp$ext" ] && mv "$db.tmp$ext" "$db$ext"; done
  log "database built in $((SECONDS - started)) s: $(du -h "$db" | cut -f1)"
fi

log "build the app ($BUILD)"
# (its output goes to stderr: stdout is the result's JSON line only)
if [ "$BUILD" = debug ]; then tauri_cli build --debug --no-bundle >&2; else tauri_cli build --no-bundle >&2; fi
app="$(app_binary "$BUILD")"

work="$(mktemp -d "${TMPDIR:-/tmp}/pharmapos-till-ui-XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$db" "$work/store.db"
for ext in -wal -shm; do [ -f "$db$ext" ] && cp "$db$ext" "$work/store.db$ext"; done
# The copy's 3 GB and the build's output on their way to disk: written now,
# not by the kernel's writeback threads on the two cores while the till is
# measured (they start 30 s after a write and took 3-10 s of CPU during
# some runs). Then wait until the machine is quiet, at least 90 % idle over
# a second (at most a minute).
sync
for _ in $(seq 60); do
  read -r _ u1 n1 s1 i1 w1 _ < /proc/stat
  sleep 1
  read -r _ u2 n2 s2 i2 w2 _ < /proc/stat
  busy=$(((u2 + n2 + s2 + w2) - (u1 + n1 + s1 + w1)))
  idle=$((i2 - i1))
  [ $((idle * 100)) -ge $(((idle + busy) * 90)) ] && break
done

log "measure in the webview ($BUILD build; load: $(cut -d' ' -f1-3 /proc/loadavg))"
export PHARMAPOS_APP="$app" BENCH_DB="$work/store.db" BENCH_OUT="$work/result.json" BENCH_BUILD="$BUILD" \
  BENCH_PRODUCTS="$PRODUCTS" BENCH_BURSTS="$BURSTS" BENCH_SALES="$SALES" BENCH_SEED="$SEED" PHARMAPOS_IDLE_LOCK_SECS=0 \
  BENCH_APP_LOG="$cache/till-ui-app.log" RUST_LOG="${RUST_LOG:-info,pharmapos::ipc=debug}"
# The app's log (its stderr, through tauri-driver) is kept for the shell's
# timings (in the cache folder, for a look after the run) and still shown.
xvfb-run -a -s "-screen 0 1366x768x24 -nolisten tcp" \
  bash -c 'cd ui && npx --no-install vitest run --config vitest.bench-ui.config.ts --reporter=default' \
  2> >(tee "$BENCH_APP_LOG" | grep -v 'pharmapos::ipc\]' >&2) >&2
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  r.batches = Number(process.argv[2]) * r.products;
  r.command = "scripts/bench-till-ui.sh";
  console.log(JSON.stringify(r));
' "$work/result.json" "$BATCHES_PER_PRODUCT"
