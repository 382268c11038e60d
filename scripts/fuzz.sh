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
# fuzz/ is a workspace of its own with its own Cargo.lock. cargo-fuzz has no
# --locked, and a plain build would quietly rewrite a stale lock, leaving a
# clean clone dirty after the test run; so refuse a stale lock first, loudly.
if ! cargo metadata --locked --format-version 1 >/dev/null; then
  echo "fuzz/Cargo.lock is out of date: run 'cargo update -w' in fuzz/ and commit it" >&2
  exit 1
fi
cargo fuzz run --sanitizer none gs1_parse "$cache/corpus/gs1_parse" seeds/gs1_parse -- \
  -max_total_time="$secs" -max_len=600 -artifact_prefix="$cache/artifacts/" -print_final_stats=1
