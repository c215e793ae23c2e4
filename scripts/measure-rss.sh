#!/usr/bin/env bash
# Measures the resident memory of the Kurier window 60 s after start, idle:
# the kurier process alone and its whole process tree (WebKit's web and
# network processes included). Usage: scripts/measure-rss.sh build/bin/kurier [kurier args…]
set -euo pipefail
bin=${1:?usage: $0 path/to/kurier [args…]}; shift
wait_s=${WAIT:-60}
data=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; kill "$xvfb" 2>/dev/null || true; rm -rf "$data"' EXIT
Xvfb :97 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
sleep 1
DISPLAY=:97 "$bin" --data "$data" "$@" >/dev/null 2>&1 & pid=$!
sleep "$wait_s"
tree() { local p=$1; echo "$p"; for c in $(pgrep -P "$p"); do tree "$c"; done; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
own=$(rss "$pid")
total=0
for p in $(tree "$pid"); do total=$((total + $(rss "$p"))); done
echo "kurier RSS after ${wait_s} s: ${own} KiB; whole process tree: ${total} KiB ($(tree "$pid" | wc -l) processes)"
