#!/usr/bin/env bash
# Sets up everything Kurier needs to build, run and test on Debian/Ubuntu, and
# only what is missing: safe to run again and again (make calls it first).
#   - apt packages (through sudo when not root)
#   - the Wails CLI, staticcheck and nfpm at pinned versions, into $(go env GOPATH)/bin
#   - SeaweedFS's weed (the S3 server of the blob store's tests) at a pinned version, same place
#   - the UI's npm packages, with `npm ci`, when package-lock.json changed
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned tool versions (see README "Contributing" before changing them).
WAILS_VERSION=v2.11.0
STATICCHECK_VERSION=v0.8.2
# nfpm v2.48.0 does not install: two of its modules (go.digitalxero.dev/…) are not served by the Go proxy.
NFPM_VERSION=v2.45.2
# SeaweedFS (Apache-2.0): its weed is the S3 server the blob store's tests start (internal/s3test).
WEED_VERSION=v0.0.0-20261109003541-7506e5f91cd6
GO_MIN=1.26
NODE_MIN=20

# Build: GTK/WebKitGTK 4.1 headers for the Wails window. Tests: Xvfb,
# xdotool and ImageMagick for the window smoke test, Chromium for web mode,
# fonts so text and emoji render, GStreamer's plugins for voice messages in
# the window (record AAC, play Opus and AAC). Packaging: NSIS (Windows installer), lintian,
# desktop-file-utils and appstream (checks), rpm (queries the .rpm).
# Backend on PostgreSQL: the postgresql server, started by the tests themselves
# (internal/pgtest) in a temporary directory.
APT_PACKAGES=(
  build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev
  xvfb xauth xdotool imagemagick zbar-tools chromium fonts-dejavu-core fonts-noto-color-emoji git curl
  gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav
  nsis lintian rpm desktop-file-utils appstream
  postgresql
)

say() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: %s\n' "$*" >&2; exit 1; }

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

command -v go >/dev/null || die "Go $GO_MIN or newer is required: https://go.dev/doc/install"
go_version=$(go env GOVERSION | sed 's/^go//')
version_ge "$go_version" "$GO_MIN" || die "Go $GO_MIN or newer is required (found $go_version)"
command -v node >/dev/null && command -v npm >/dev/null || die "Node.js $NODE_MIN and npm are required: https://nodejs.org/"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge "$NODE_MIN" ] || die "Node.js $NODE_MIN or newer is required (found $(node --version))"

missing=()
if command -v dpkg-query >/dev/null; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
else
  die "no dpkg: install the equivalents of these Debian packages by hand: ${APT_PACKAGES[*]}"
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  say "installing apt packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

gobin=$(go env GOPATH)/bin
# go_tool BINARY MODULE/PATH VERSION: installs MODULE/PATH@VERSION unless BINARY was built from exactly it.
go_tool() {
  local bin="$gobin/$1" pkg=$2 want=$3
  if go version -m "$bin" 2>/dev/null | awk '$1 == "mod" {print $3; exit}' | grep -qx "$want"; then
    return
  fi
  say "installing $pkg@$want"
  go install "$pkg@$want"
}
go_tool wails github.com/wailsapp/wails/v2/cmd/wails "$WAILS_VERSION"
go_tool staticcheck honnef.co/go/tools/cmd/staticcheck "$STATICCHECK_VERSION"
go_tool nfpm github.com/goreleaser/nfpm/v2/cmd/nfpm "$NFPM_VERSION"

# weed: `go install …@version` refuses SeaweedFS's module (its go.mod has a replace directive), so it is built in
# a throwaway module that repeats that replace. GOFLAGS is overridden: make exports build tags of its own.
weed_bin="$gobin/weed"
weed_built_from() { go version -m "$weed_bin" 2>/dev/null | awk '$2 == "github.com/seaweedfs/seaweedfs" && ($1 == "mod" || $1 == "dep") {print $3; exit}'; }
if ! weed_built_from | grep -qx "$WEED_VERSION"; then
  say "building SeaweedFS weed $WEED_VERSION into $weed_bin (a few minutes)"
  weed_mod=$(mktemp -d)
  printf '%s\n' 'module kurier.local/weedbuild' '' "go $GO_MIN" '' \
    "require github.com/seaweedfs/seaweedfs $WEED_VERSION" '' \
    'replace github.com/tyler-smith/go-bip39 => github.com/cosmos/go-bip39 v1.0.0' >"$weed_mod/go.mod"
  (
    cd "$weed_mod"
    export GOFLAGS=-mod=mod
    go get "github.com/seaweedfs/seaweedfs/weed@$WEED_VERSION"
    go build -o "$weed_bin" github.com/seaweedfs/seaweedfs/weed
  ) || { rm -rf "$weed_mod"; die "building weed failed"; }
  rm -rf "$weed_mod"
fi

# npm packages: the UI, and the reference SaltyRTC client for the interop tests.
for dir in frontend test/saltyrtc-interop; do
  stamp=$dir/node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    say "installing npm packages in $dir (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  fi
done
