#!/usr/bin/env bash
# Runs every fuzz target of the module (go test -fuzz), one after the other,
# each for FUZZTIME (default 60s) with FUZZPARALLEL workers (default: one per
# core), and prints one line per target with the
# executions it made. A crash stops nothing else: the failing targets are
# listed at the end (their inputs are in the package's testdata/fuzz) and the
# script exits 1. Used by `make fuzz`.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-60s}
parallel=${FUZZPARALLEL:-$(nproc)}
failed=()
total=0
for pkg in $(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    total=$((total + 1))
    log=$(mktemp)
    if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel "$parallel" "$pkg" >"$log" 2>&1; then
      execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
      echo "fuzz: ok   $pkg $target ($fuzztime, $execs execs)"
    else
      echo "fuzz: FAIL $pkg $target"
      tail -20 "$log"
      failed+=("$pkg $target")
    fi
    rm -f "$log"
  done
done
echo "fuzz: $total targets, ${#failed[@]} failed, $fuzztime each"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: failed: %s\n' "${failed[@]}"
  exit 1
fi
