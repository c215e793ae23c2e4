#!/usr/bin/env bash
# make package-macos: the universal (arm64 + amd64) Kurier.app and a .dmg, into build/dist/.
# Runs only on macOS (Xcode command-line tools, Go, Node, the Wails CLI); it has not been run by CI,
# which has no Mac. See docs/packaging.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname -s)" = Darwin ] || { echo "package-macos: needs a Mac (macOS with Xcode command-line tools); this is $(uname -s)" >&2; exit 1; }
version=$(scripts/version.sh)
pkgver=$(scripts/version.sh --package)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
gobin=$(go env GOPATH)/bin
(cd frontend && npm ci && npm run build)
"$gobin/wails" build -platform darwin/universal -m -s -skipbindings -trimpath -tags nocluster \
  -ldflags "-s -w -buildid= -X github.com/kurier/kurier/internal/buildinfo.Version=$version"
mkdir -p build/dist
dmg="build/dist/kurier-$pkgver-macos-universal.dmg"
rm -f "$dmg"
hdiutil create -volname Kurier -srcfolder build/bin/Kurier.app -ov -format UDZO "$dmg"
(cd build/dist && shasum -a 256 "$(basename "$dmg")" >> SHA256SUMS)
echo "package-macos: $dmg"
