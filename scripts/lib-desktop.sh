# Shared helpers of run-app.sh and test-desktop.sh (sourced, not run).
# Installs what the desktop app needs on Debian/Ubuntu, idempotently and
# without prompts: system packages with apt (sudo when not root), the UI's
# npm packages (npm ci, skipped when package-lock.json is unchanged).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@" || sudo "$@"
  else die "need root to run: $* (install sudo or run as root)"; fi
}

# apt_ensure PKG... : installs the packages that are missing.
apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing system packages (${missing[*]}) and no apt-get: install them by hand"
  log "installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Build packages for the Tauri app (WebKitGTK 4.1 and a C toolchain).
BUILD_PACKAGES=(libwebkit2gtk-4.1-dev libdbus-1-dev build-essential pkg-config file)
# Running without a display, and the end-to-end tests.
HEADLESS_PACKAGES=(xvfb xauth fonts-dejavu-core)
E2E_PACKAGES=(webkit2gtk-driver imagemagick)
# The central server's tests start a throw-away PostgreSQL cluster (Debian's
# server binaries under /usr/lib/postgresql; runuser from util-linux) and
# its streaming replicas, and HAProxy in front of two servers
# (crates/server/tests/scale.rs, docs/scaling.md).
SERVER_PACKAGES=(postgresql haproxy)
# Head office's page is tested in a real browser: headless Chromium driven
# over WebDriver (crates/server/tests/ho.rs).
HO_BROWSER_PACKAGES=(chromium chromium-driver)
# The desktop crate's test of the OS keyring: a Secret Service (GNOME
# Keyring) on a private session bus (dbus-run-session, in Debian's and
# Ubuntu's dbus packages) (scripts/test-keyring.sh).
KEYRING_PACKAGES=(gnome-keyring dbus)

require_toolchains() {
  command -v cargo >/dev/null 2>&1 || die "Rust is not installed. Install it with rustup (https://rustup.rs), then run this again; rust-toolchain.toml picks the version."
  if ! command -v node >/dev/null 2>&1; then
    apt_ensure nodejs npm
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || die "Node.js $(node --version) is too old; install Node.js 20.19+ (e.g. from NodeSource or nvm)"
}

# npm ci in ui/ unless node_modules already matches package-lock.json.
npm_ensure() {
  local stamp="$ROOT/ui/node_modules/.pharmapos-lock.sha256" want
  want="$(sha256sum "$ROOT/ui/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$ROOT/ui/node_modules/.bin/tauri" ]; then
    return 0
  fi
  log "installing npm packages (npm ci)"
  (cd "$ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
}

tauri_cli() { "$ROOT/ui/node_modules/.bin/tauri" "$@"; }

# Where cargo puts the app (honours CARGO_TARGET_DIR).
app_binary() {
  local target="${CARGO_TARGET_DIR:-$ROOT/target}"
  case "$target" in /*) ;; *) target="$ROOT/$target" ;; esac
  echo "$target/${1:-debug}/pharmapos-desktop"
}
