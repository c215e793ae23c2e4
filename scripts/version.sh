#!/usr/bin/env bash
# Prints Kurier's version for this checkout, the one stamped into every binary
# and package.
#   scripts/version.sh            git form: v0.1.0, v0.1.0-3-gabc1234, …-dirty
#   scripts/version.sh --package  Debian/RPM form: 0.1.0, 0.1.0+git3.gabc1234, …+dirty
# Without a v* tag the base is v0.0.0 and the count is every commit.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! git rev-parse --git-dir >/dev/null 2>&1; then
  v=v0.0.0
else
  v=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null) || {
    count=$(git rev-list --count HEAD 2>/dev/null || echo 0)
    hash=$(git rev-parse --short=7 HEAD 2>/dev/null || echo unknown)
    v="v0.0.0-$count-g$hash"
    git diff --quiet HEAD 2>/dev/null || v="$v-dirty"
  }
fi

if [ "${1:-}" != "--package" ]; then
  echo "$v"
  exit 0
fi
# v1.2.3[-N-gHASH][-dirty] → 1.2.3[+gitN.gHASH][+dirty]
re='^v([0-9]+\.[0-9]+\.[0-9]+)(-([0-9]+)-(g[0-9a-f]+))?(-dirty)?$'
[[ $v =~ $re ]] || { echo "version: cannot turn $v into a package version" >&2; exit 1; }
out=${BASH_REMATCH[1]}
[ -n "${BASH_REMATCH[3]}" ] && out="$out+git${BASH_REMATCH[3]}.${BASH_REMATCH[4]}"
[ -n "${BASH_REMATCH[5]}" ] && out="$out+dirty"
echo "$out"
