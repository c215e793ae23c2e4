#!/usr/bin/env bash
# make test-package: the installers' checks.
#   1. reproducible: package, rebuild everything from the same commit, package again, compare SHA256SUMS;
#   2. the .desktop file and AppStream metainfo validate; lintian finds no errors in the .deb; the Linux and
#      Windows apps are built with -tags nocluster and link no PostgreSQL, S3 or Prometheus module;
#   3. the .deb installs with apt-get, `kurier --version` prints the version, the installed app shows its
#      window under Xvfb (the window smoke test, run against /usr/bin/kurier), and removal leaves no file behind.
#   4. the backend .deb installs, its service starts with systemd where systemd runs (else the binary runs
#      as the service user with the packaged configuration), serves /healthz, stops on SIGTERM, and a purge
#      removes its files, its data and its user.
# Needs root (or sudo) for steps 3 and 4. Usage: scripts/test-package.sh DESKTOP_BINARY BACKEND_BINARY PHONE_BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
app=$1
backend=$2
phone=$3
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
say() { printf 'test-package: %s\n' "$*"; }
fail() { printf 'test-package: FAIL: %s\n' "$*" >&2; exit 1; }

# 1. Reproducibility.
scripts/package.sh "$app" "$backend" "$phone" >/dev/null
first=$(mktemp)
trap 'rm -f "$first"' EXIT
cp build/dist/SHA256SUMS "$first"
rm -f "$app" "$backend" "$phone" build/bin/kurier.exe build/bin/Kurier-amd64-installer.exe
make --no-print-directory build >/dev/null
scripts/package.sh "$app" "$backend" "$phone" >/dev/null
if ! diff -u "$first" build/dist/SHA256SUMS; then
  fail "two builds of the same commit differ (see the diff above)"
fi
say "reproducible: $(wc -l < build/dist/SHA256SUMS) artifacts byte-identical across two builds"

# 2. Static checks.
deb=$(ls build/dist/kurier_*_amd64.deb)
bdeb=$(ls build/dist/kurier-backend_*_amd64.deb)
rpm=$(ls build/dist/kurier-*.x86_64.rpm)
desktop-file-validate build/linux/io.github.kurier.Kurier.desktop
appstreamcli validate --no-net --pedantic build/stage/desktop/share/metainfo/io.github.kurier.Kurier.metainfo.xml >/dev/null
lintian_out=$(lintian --tag-display-limit 0 "$deb" "$bdeb" 2>&1 | grep -v 'running with root privileges' || true)
echo "$lintian_out" | sed 's/^/  lintian: /'
if echo "$lintian_out" | grep -q '^E:'; then fail "lintian reports errors"; fi
rpm -qp --requires "$rpm" 2>/dev/null | grep -q 'libwebkit2gtk-4.1.so.0' || fail "the rpm does not require WebKitGTK 4.1"
dpkg-deb -f "$deb" Depends | grep -q 'fonts-noto-color-emoji' || fail "the .deb does not depend on a colour emoji font"
dpkg-deb -f "$deb" Recommends | grep -q 'gstreamer1.0-libav' || fail "the .deb does not recommend the GStreamer plugins of voice messages"
rpm -qp --requires "$rpm" 2>/dev/null | grep -q 'google-noto-color-emoji-fonts' || fail "the rpm does not require a colour emoji font"
say "lintian: no errors; desktop file and metainfo valid; rpm requires computed"
# The desktop apps leave out what only kurier-backend needs (docs/desktop.md, the embedded demo world).
for bin in "$app" build/dist/kurier-*-windows-amd64.exe; do
  KURIER_BINARY="$(realpath "$bin")" go test -count=1 -run 'TestWindowBinaryLeavesOutClusterStorage' ./test/window/ >/dev/null \
    || fail "$bin was built without -tags nocluster, or links PostgreSQL, S3 or Prometheus"
done
say "the Linux and Windows apps are built without PostgreSQL, S3 and Prometheus"

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

# 4. The backend package.
if dpkg-query -W -f='${Status}' kurier-backend 2>/dev/null | grep -q 'install ok installed'; then
  fail "a kurier-backend package is already installed; remove it first"
fi
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "./$bdeb" >/dev/null
trap 'rm -f "$first"; DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get purge -y -qq kurier-backend >/dev/null 2>&1 || true' EXIT
bfiles=$(dpkg -L kurier-backend | while read -r f; do if [ -f "$f" ]; then echo "$f"; fi; done)
getent passwd kurier >/dev/null || fail "the package did not create the kurier user"
[ "$(/usr/bin/kurier-backend --version)" = "$want" ] || fail "kurier-backend --version is not $want"
[ "$(/usr/bin/kurier-phone --version)" = "$want" ] || fail "kurier-phone --version is not $want"
wait_health() {
  for _ in $(seq 1 150); do
    if curl -fsS http://127.0.0.1:8080/healthz 2>/dev/null | grep -q '"status":"ok"' && "${sudo[@]}" test -f /var/lib/kurier/backend.json; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}
if [ -d /run/systemd/system ]; then
  systemctl is-active --quiet kurier-backend || fail "the kurier-backend service is not running"
  wait_health || fail "the service did not become healthy"
  say "backend: the systemd service runs and is healthy"
else
  # No systemd here: run the binary as the service user with the packaged configuration.
  set -a
  # shellcheck disable=SC1091
  . /etc/kurier/backend.env
  set +a
  mkdir -p build/test-artifacts
  asroot=()
  [ ${#sudo[@]} -eq 0 ] || asroot=(sudo -E)
  "${asroot[@]}" setpriv --reuid=kurier --regid=kurier --init-groups /usr/bin/kurier-backend >build/test-artifacts/backend-package.log 2>&1 &
  bpid=$!
  wait_health || { cat build/test-artifacts/backend-package.log >&2; fail "the packaged backend did not become healthy"; }
  kill -TERM "$bpid"
  wait "$bpid" || fail "kurier-backend did not exit cleanly on SIGTERM"
  say "backend: no systemd here; the binary ran as user kurier with /etc/kurier/backend.env, healthy, clean SIGTERM"
  # The PostgreSQL mode of backend.env: the same, with KURIER_DATABASE_URL set
  # to a throwaway server; its tables must then hold the backend's schema.
  # shellcheck source=scripts/pg-throwaway.sh
  . scripts/pg-throwaway.sh
  pgwork=$(mktemp -d /tmp/kurier-package-pg.XXXXXX)
  pg_throwaway_start "$pgwork" 55499 || fail "could not start a throwaway PostgreSQL"
  KURIER_DATABASE_URL=$PG_URL KURIER_BACKEND_NODE=package-test \
    "${asroot[@]}" setpriv --reuid=kurier --regid=kurier --init-groups /usr/bin/kurier-backend >build/test-artifacts/backend-package-pg.log 2>&1 &
  bpid=$!
  wait_health || { cat build/test-artifacts/backend-package-pg.log >&2; pg_throwaway_stop; fail "the packaged backend on PostgreSQL did not become healthy"; }
  kill -TERM "$bpid"
  wait "$bpid" || { pg_throwaway_stop; fail "kurier-backend on PostgreSQL did not exit cleanly on SIGTERM"; }
  tables=$(pg_as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p 55499 -U postgres -d kurier -Atc \
    "SELECT string_agg(component, ',' ORDER BY component) FROM (SELECT DISTINCT component FROM kurier_schema_version) c")
  pg_throwaway_stop
  rm -rf "$pgwork"
  [ "$tables" = "blob,chat,directory" ] || fail "the packaged backend on PostgreSQL migrated [$tables], want blob,chat,directory"
  say "backend: with KURIER_DATABASE_URL it ran on PostgreSQL (chat, directory and blob schemas), clean SIGTERM"
fi
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get purge -y -qq kurier-backend >/dev/null
left=$(echo "$bfiles" | while read -r f; do if [ -e "$f" ]; then echo "$f"; fi; done)
[ -z "$left" ] || fail "files left after removing kurier-backend: $left"
[ ! -e /var/lib/kurier ] || fail "/var/lib/kurier left after purge"
[ ! -e /etc/kurier ] || fail "/etc/kurier left after purge"
! getent passwd kurier >/dev/null || fail "the kurier user is left after purge"
say "backend: purged; no file, data directory or user left behind"
