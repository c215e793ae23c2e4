#!/usr/bin/env bash
# Measures the memory of the Kurier window WAIT seconds (default 60) after
# start, idle, under a private Xvfb: RSS and PSS (proportional set size:
# shared pages divided among their users, so the processes add up) of the
# kurier process and of each process of its tree (WebKit's web and network
# processes). Usage: scripts/measure-memory.sh build/bin/kurier [kurier args…]
# (KURIER_DATA=dir uses that profile instead of a fresh one).
set -euo pipefail
bin=${1:?usage: $0 path/to/kurier [args…]}; shift
wait_s=${WAIT:-60}
display=${MEASURE_DISPLAY:-:97}
data=${KURIER_DATA:-$(mktemp -d)}
fresh=${KURIER_DATA:+no}
pid='' xvfb=''
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
  [ "$fresh" = no ] || rm -rf "$data"
}
trap cleanup EXIT
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
sleep 1
DISPLAY=$display "$bin" --data "$data" "$@" >/dev/null 2>&1 & pid=$!
sleep "$wait_s"
tree() { local p=$1; echo "$p"; for c in $(pgrep -P "$p"); do tree "$c"; done; }
field() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/$3" 2>/dev/null || echo 0; }
total_rss=0 total_pss=0 n=0
for p in $(tree "$pid"); do
  name=$(cat "/proc/$p/comm" 2>/dev/null || echo gone)
  rss=$(field "$p" VmRSS status) pss=$(field "$p" Pss smaps_rollup)
  printf '%-22s pid %-7s RSS %8s KiB  PSS %8s KiB\n' "$name" "$p" "${rss:-0}" "${pss:-0}"
  total_rss=$((total_rss + ${rss:-0})) total_pss=$((total_pss + ${pss:-0})) n=$((n + 1))
done
echo "whole tree after ${wait_s} s: ${n} processes, RSS ${total_rss} KiB, PSS ${total_pss} KiB ($((total_pss / 1024)) MiB)"
