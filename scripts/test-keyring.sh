#!/usr/bin/env bash
# Runs the desktop crate's OS-keyring test (src-tauri/src/secrets.rs,
# `the_os_keyring_stores_reads_replaces_and_deletes_a_secret`) against a
# real Secret Service: GNOME Keyring in a private D-Bus session bus
# (dbus-run-session), its login keyring created and unlocked with a
# throw-away password, in temporary folders so no real keyring is touched.
# The test is #[ignore]d in a plain `cargo test` and run here with
# --ignored: a keyring that does not work fails it (and this script).
# The daemon ends with the session bus; the folders are removed on exit.
# Honours CARGO_TARGET_DIR. Needs the packages gnome-keyring and dbus.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${PHARMAPOS_IN_KEYRING_SESSION:-}" ]; then
  # shellcheck source=lib-desktop.sh
  source scripts/lib-desktop.sh
  apt_ensure "${KEYRING_PACKAGES[@]}"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  mkdir -m 700 "$tmp/runtime" "$tmp/data"
  log "keyring test against GNOME Keyring in a private D-Bus session"
  PHARMAPOS_IN_KEYRING_SESSION=1 XDG_RUNTIME_DIR="$tmp/runtime" XDG_DATA_HOME="$tmp/data" \
    dbus-run-session -- "$0" "$@"
  exit 0
fi

# Inside the session: start the daemon's Secret Service with a login
# keyring unlocked by this password (created on first use); it returns
# once the service is on the bus.
printf '%s' "pharmapos-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
cargo test -p pharmapos-desktop --lib --locked -- --ignored --exact \
  secrets::tests::the_os_keyring_stores_reads_replaces_and_deletes_a_secret 2>&1 | tee "$out"
# A renamed test would match nothing and "pass": insist that it ran.
grep -q "test result: ok. 1 passed" "$out" || {
  echo "error: the keyring test did not run" >&2
  exit 1
}
