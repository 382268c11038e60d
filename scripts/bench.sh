#!/usr/bin/env bash
# Runs the shared benchmark workload (../shared/bench) side by side:
# the PharmaPOS engine (`pharmapos bench`), the rusqlite floor and the
# SQLAlchemy baseline, for one configuration at FULL and NORMAL sync.
# Prints one JSON line per run, each preceded by a "# load" comment.
#
#   scripts/bench.sh till|scarce|large [impls...]   (impls: pharmapos floor sqlalchemy)
#
# Needs ../shared/bench beside the checkout. Builds what it needs in release.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCH="${SHARED_BENCH:-../shared/bench}"
config="${1:?usage: scripts/bench.sh till|scarce|large [impls...]}"; shift
impls=("${@:-pharmapos floor sqlalchemy}")
read -r -a impls <<<"${impls[*]}"
case "$config" in
  till)   args=(--products 2000 --batches-per-product 20 --sales 20000 --seed 42); syncs=(FULL NORMAL) ;;
  scarce) args=(--products 200 --batches-per-product 4 --sales 20000 --seed 7); syncs=(FULL NORMAL) ;;
  large)  args=(--products 100000 --batches-per-product 10 --sales 20000 --seed 42); syncs=(NORMAL) ;;
  *) echo "unknown configuration $config" >&2; exit 2 ;;
esac
cache="${BENCH_CACHE:-$HOME/.cache/pharmapos/bench}"
mkdir -p "$cache"
cargo build --release -q -p pharmapos-cli
for i in "${impls[@]}"; do
  case "$i" in
    floor) CARGO_TARGET_DIR="$cache/floor-target" cargo build --release -q --manifest-path "$BENCH/floor/Cargo.toml" ;;
    sqlalchemy)
      [ -x "$cache/venv/bin/python" ] || { python3 -m venv "$cache/venv" && "$cache/venv/bin/pip" install -q -r "$BENCH/sqlalchemy/requirements.txt"; } ;;
  esac
done
target="${CARGO_TARGET_DIR:-target}"
for sync in "${syncs[@]}"; do
  for i in "${impls[@]}"; do
    echo "# $config $i $sync load: $(cut -d' ' -f1-3 /proc/loadavg)"
    case "$i" in
      pharmapos) "$target/release/pharmapos" --db "/tmp/bench-pharmapos.db" bench "${args[@]}" --sync "$sync" $([ "$config" = large ] && echo --search) ;;
      floor) "$cache/floor-target/release/floor" "${args[@]}" --db /tmp/bench-floor.db --sync "$sync" ;;
      sqlalchemy) (cd "$BENCH/sqlalchemy" && "$cache/venv/bin/python" bench.py "${args[@]}" --db /tmp/bench-sqlalchemy.db --sync "$sync") ;;
    esac
  done
done
