#!/usr/bin/env bash
# make cluster: a local Kurier cluster on loopback for QA. A throwaway
# PostgreSQL (Debian's postgresql; initdb into a temporary directory, as the
# postgres user when run as root, since initdb refuses root) and
# CLUSTER_NODES (default 3) kurier-backend nodes on it, sharing one set of
# keys. Node 0's backend.json is copied to CLUSTER_DIR/backend.json
# (default build/cluster); every node's signaling server is listed in it.
# Ctrl+C (or SIGTERM) stops the nodes and PostgreSQL and removes the
# temporary directory.
set -euo pipefail
backend=$(realpath "$1")
nodes=${CLUSTER_NODES:-3}
out=${CLUSTER_DIR:-build/cluster}
# Node i listens on BASE+i, BASE+10+i, … (chat, signaling, directory, blob, admin).
base=${CLUSTER_PORT_BASE:-6200}

# shellcheck source=scripts/pg-throwaway.sh
. "$(dirname "$0")/pg-throwaway.sh"
work=$(mktemp -d /tmp/kurier-cluster.XXXXXX)
pids=()
cleanup() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pg_throwaway_stop
  rm -rf "$work"
  echo "cluster: stopped"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

free_port() { # the first port from $1 on that nothing listens on
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

pg_throwaway_start "$work" "$(free_port "${CLUSTER_PG_PORT:-55432}")"
url=$PG_URL

addr() { echo "127.0.0.1:$((base + 10 * $1 + $2))"; } # addr KIND NODE
signaling_nodes=$(for i in $(seq 0 $((nodes - 1))); do printf '%s,' "$(addr 1 "$i")"; done)
signaling_nodes=${signaling_nodes%,}

start_node() {
  local i=$1 dir=$work/node$1
  mkdir -p "$dir"
  "$backend" --data "$dir" --database "$url" --node "node$i" \
    --chat "$(addr 0 "$i")" --signaling "$(addr 1 "$i")" --directory "$(addr 2 "$i")" \
    --blob "$(addr 3 "$i")" --admin "$(addr 4 "$i")" --signaling-nodes "$signaling_nodes" \
    >"$dir/backend.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do
    [ -f "$dir/backend.json" ] && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "cluster: node $i did not start:" >&2
  cat "$dir/backend.log" >&2
  exit 1
}

# Node 0 makes the keys; the others start with copies (clients pin one chat
# key, one signaling key and certificate, one directory challenge key).
start_node 0
for i in $(seq 1 $((nodes - 1))); do
  mkdir -p "$work/node$i/signaling"
  cp -a "$work/node0/keys" "$work/node$i/"
  cp -a "$work/node0/signaling/." "$work/node$i/signaling/"
  start_node "$i"
done

mkdir -p "$out"
cp "$work/node0/backend.json" "$out/backend.json"
cat <<MSG
cluster: PostgreSQL $url
cluster: $nodes nodes (logs in $work/node*/backend.log):
MSG
for i in $(seq 0 $((nodes - 1))); do
  echo "  node$i  chat $(addr 0 "$i")  signaling $(addr 1 "$i")  directory $(addr 2 "$i")  blob $(addr 3 "$i")  admin $(addr 4 "$i")"
done
cat <<MSG
cluster: clients read $out/backend.json (node 0's servers, every signaling node), e.g.
  build/bin/kurier --backend $out/backend.json
cluster: ready; Ctrl+C stops everything.
MSG
wait -n "${pids[@]}" || true
echo "cluster: a node stopped; stopping the rest" >&2
exit 1
