#!/usr/bin/env bash
# Fuzzes the GS1 parser (fuzz/fuzz_targets/gs1_parse.rs) with libFuzzer
# through cargo-fuzz: no input may make it panic, and every code it accepts
# must be well-formed (14-digit GTIN with a valid check digit, real dates).
#
#   scripts/fuzz.sh [SECONDS]     (default 60; the test script runs 30)
#
# Installs cargo-fuzz if missing. cargo-fuzz wants a nightly compiler for
# its sanitizer flags; this machine has one stable toolchain, so the run
# uses `--sanitizer none` (plain Rust needs no ASan: the target is safe code)
# and RUSTC_BOOTSTRAP=1 for the one unstable flag libFuzzer's coverage needs.
# The corpus grows in $FUZZ_CACHE (outside the clone); seeds: fuzz/seeds/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs="${1:-60}"
cache="${FUZZ_CACHE:-$HOME/.cache/pharmapos/fuzz}"
mkdir -p "$cache/corpus/gs1_parse" "$cache/artifacts"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi
export CARGO_TARGET_DIR="$cache/target"
export RUSTC_BOOTSTRAP=1
cd fuzz
cargo fuzz run --sanitizer none gs1_parse "$cache/corpus/gs1_parse" seeds/gs1_parse -- \
  -max_total_time="$secs" -max_len=600 -artifact_prefix="$cache/artifacts/" -print_final_stats=1
