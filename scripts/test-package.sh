#!/usr/bin/env bash
# make test-package: the installers' checks.
#   1. reproducible: package, rebuild everything from the same commit, package again, compare SHA256SUMS;
#   2. the .desktop file and AppStream metainfo validate; lintian finds no errors in the .deb;
#   3. the .deb installs with apt-get, `kurier --version` prints the version, the installed app shows its
#      window under Xvfb (the window smoke test, run against /usr/bin/kurier), and removal leaves no file behind.
# Needs root (or sudo) for step 3. Usage: scripts/test-package.sh LINUX_BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
app=$1
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
say() { printf 'test-package: %s\n' "$*"; }
fail() { printf 'test-package: FAIL: %s\n' "$*" >&2; exit 1; }

# 1. Reproducibility.
scripts/package.sh "$app" >/dev/null
first=$(mktemp)
trap 'rm -f "$first"' EXIT
cp build/dist/SHA256SUMS "$first"
rm -f "$app" build/bin/kurier.exe build/bin/Kurier-amd64-installer.exe
make --no-print-directory build >/dev/null
scripts/package.sh "$app" >/dev/null
if ! diff -u "$first" build/dist/SHA256SUMS; then
  fail "two builds of the same commit differ (see the diff above)"
fi
say "reproducible: $(wc -l < build/dist/SHA256SUMS) artifacts byte-identical across two builds"

# 2. Static checks.
deb=$(ls build/dist/kurier_*_amd64.deb)
rpm=$(ls build/dist/kurier-*.x86_64.rpm)
desktop-file-validate build/linux/io.github.kurier.Kurier.desktop
appstreamcli validate --no-net --pedantic build/stage/desktop/share/metainfo/io.github.kurier.Kurier.metainfo.xml >/dev/null
lintian_out=$(lintian --tag-display-limit 0 "$deb" 2>&1 | grep -v 'running with root privileges' || true)
echo "$lintian_out" | sed 's/^/  lintian: /'
if echo "$lintian_out" | grep -q '^E:'; then fail "lintian reports errors"; fi
rpm -qp --requires "$rpm" 2>/dev/null | grep -q 'libwebkit2gtk-4.1.so.0' || fail "the rpm does not require WebKitGTK 4.1"
say "lintian: no errors; desktop file and metainfo valid; rpm requires computed"

# 3. Install, run, remove.
if dpkg-query -W -f='${Status}' kurier 2>/dev/null | grep -q 'install ok installed'; then
  fail "a kurier package is already installed; remove it first"
fi
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "./$deb" >/dev/null
trap 'rm -f "$first"; DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get purge -y -qq kurier >/dev/null 2>&1 || true' EXIT
files=$(dpkg -L kurier | while read -r f; do if [ -f "$f" ]; then echo "$f"; fi; done)
want=$(scripts/version.sh)
got=$(/usr/bin/kurier --version)
[ "$got" = "$want" ] || fail "installed kurier --version says $got, want $want"
say "installed $(basename "$deb"): $(echo "$files" | wc -l) files, kurier --version = $got"
KURIER_BINARY=/usr/bin/kurier KURIER_ARTIFACTS="$PWD/build/test-artifacts/installed" \
  go test -count=1 -run 'TestWindowSmoke' ./test/window/ >/dev/null || fail "the installed app did not show its window"
say "the installed app shows its window (screenshot in build/test-artifacts/installed/)"
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get purge -y -qq kurier >/dev/null
left=$(echo "$files" | while read -r f; do if [ -e "$f" ]; then echo "$f"; fi; done)
[ -z "$left" ] || fail "files left after removal: $left"
say "removed: no file left behind"
