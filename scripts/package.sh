#!/usr/bin/env bash
# make package: every installer this machine can build, into build/dist/, plus SHA256SUMS.
#   kurier_<ver>_amd64.deb, kurier-<ver>.x86_64.rpm   the desktop app (nfpm)
#   kurier-<ver>-linux-amd64.tar.gz                    the desktop binary and its desktop assets
#   kurier-<ver>-windows-amd64.exe                     the desktop app for Windows (cross-built)
#   kurier-<ver>-windows-amd64-setup.exe               its NSIS installer (per-user)
#   kurier-backend_<ver>_amd64.deb                     the backend as a systemd service, and kurier-phone
# Reproducible: every timestamp is SOURCE_DATE_EPOCH (the commit time), archives are sorted, and the
# binaries are built with -trimpath and an empty build id (see the Makefile), so two builds of one
# commit are byte-identical (scripts/test-package.sh checks it).
# Usage: scripts/package.sh DESKTOP_BINARY BACKEND_BINARY PHONE_BINARY (the Makefile passes build/bin/…)
set -euo pipefail
cd "$(dirname "$0")/.."

linux_bin=$1
backend_bin=$2
phone_bin=$3
gobin=$(go env GOPATH)/bin
version=$(scripts/version.sh)
pkgver=$(scripts/version.sh --package)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
export TZ=UTC
dist=build/dist
stage=build/stage
id=io.github.kurier.Kurier

say() { printf 'package: %s\n' "$*"; }

rm -rf "$dist" "$stage"
mkdir -p "$dist" "$stage"

# --- Desktop assets: icons in the hicolor sizes from the one source SVG, the .desktop file, AppStream metainfo.
root="$stage/desktop"   # the installed tree under /usr
mkdir -p "$root/bin" "$root/share/applications" "$root/share/metainfo" "$root/share/icons/hicolor/scalable/apps"
install -m 0755 "$linux_bin" "$root/bin/kurier"
for s in 16 24 32 48 64 128 256 512; do
  d="$root/share/icons/hicolor/${s}x${s}/apps"
  mkdir -p "$d"
  convert -background none -density 384 build/appicon.svg -resize "${s}x${s}" -depth 8 -strip \
    -define png:exclude-chunks=date,time "PNG32:$d/$id.png"
done
install -m 0644 build/appicon.svg "$root/share/icons/hicolor/scalable/apps/$id.svg"
install -m 0644 "build/linux/$id.desktop" "$root/share/applications/$id.desktop"
release_date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
sed -e "s/@VERSION@/$pkgver/" -e "s/@DATE@/$release_date/" "build/linux/$id.metainfo.xml" \
  > "$root/share/metainfo/$id.metainfo.xml"
chmod 0644 "$root/share/metainfo/$id.metainfo.xml"
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# --- Dependencies, computed from the binary rather than guessed.
shlib_dir=$(mktemp -d)
trap 'rm -rf "$shlib_dir"' EXIT
mkdir -p "$shlib_dir/debian"
printf 'Source: kurier\n\nPackage: kurier\nArchitecture: any\n' > "$shlib_dir/debian/control"
deb_depends=$(cd "$shlib_dir" && dpkg-shlibdeps -O -e"$OLDPWD/$root/bin/kurier" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$deb_depends" ] || { echo "package: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# A colour emoji font, for emoji in message text (the UI's own icons are SVG).
deb_depends="$deb_depends, fonts-noto-color-emoji"
# RPM: the shared-library capabilities the binary needs, e.g. libgtk-3.so.0()(64bit).
rpm_depends=$(objdump -p "$root/bin/kurier" | awk '/NEEDED/ {print $2 "()(64bit)"}' | sort)
rpm_depends="$rpm_depends
google-noto-color-emoji-fonts"

yaml_list() { # "a, b (>= 1)" or newline-separated → YAML list items
  tr ',' '\n' | sed -e 's/^ *//' -e 's/ *$//' -e '/^$/d' -e 's/.*/  - "&"/'
}

# Voice messages: WebKitGTK records and plays them through GStreamer; the
# AAC encoder and the Opus/AAC decoders are in these plugin sets.
deb_recommends="gstreamer1.0-plugins-good, gstreamer1.0-plugins-bad, gstreamer1.0-libav"
rpm_recommends="gstreamer1-plugins-good, gstreamer1-plugins-bad-free, gstreamer1-plugin-libav"

nfpm_config() { # $1 = deb|rpm
  local deps recs
  if [ "$1" = deb ]; then deps=$(echo "$deb_depends" | yaml_list); else deps=$(echo "$rpm_depends" | yaml_list); fi
  if [ "$1" = deb ]; then recs=$(echo "$deb_recommends" | yaml_list); else recs=$(echo "$rpm_recommends" | yaml_list); fi
  cat <<YAML
name: kurier
arch: amd64
platform: linux
version: "$pkgver"
version_schema: none
release: "1"
section: net
priority: optional
maintainer: "The Kurier authors <kurier@users.noreply.github.com>"
description: |-
  End-to-end encrypted messenger for the desktop, paired with your phone.
  Kurier pairs with the phone by QR code and then talks to it over an
  end-to-end encrypted WebRTC data channel.
vendor: Kurier
homepage: https://github.com/kurier/kurier
license: LicenseRef-proprietary
mtime: "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
depends:
$deps
recommends:
$recs
contents:
  - src: $root/bin/kurier
    dst: /usr/bin/kurier
    file_info: {mode: 0755}
  - src: $root/share/applications/$id.desktop
    dst: /usr/share/applications/$id.desktop
  - src: $root/share/metainfo/$id.metainfo.xml
    dst: /usr/share/metainfo/$id.metainfo.xml
$(cd "$root" && find share/icons -type f | LC_ALL=C sort | sed "s,.*,  - src: $root/&\n    dst: /usr/&,")
  - src: build/linux/copyright
    dst: /usr/share/doc/kurier/copyright
    packager: deb
  - src: $stage/changelog.gz
    dst: /usr/share/doc/kurier/changelog.Debian.gz
    packager: deb
  - src: $stage/kurier.1.gz
    dst: /usr/share/man/man1/kurier.1.gz
YAML
}

# Debian wants a changelog; one entry per release, dated with the commit.
printf 'kurier (%s-1) unstable; urgency=medium\n\n  * Release %s.\n\n -- The Kurier authors <kurier@users.noreply.github.com>  %s\n' \
  "$pkgver" "$version" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")" | gzip -n -9 > "$stage/changelog.gz"
gzip -n -9 < build/linux/kurier.1 > "$stage/kurier.1.gz"
touch -d "@$SOURCE_DATE_EPOCH" "$stage/changelog.gz" "$stage/kurier.1.gz"

for fmt in deb rpm; do
  nfpm_config "$fmt" > "$stage/nfpm-$fmt.yaml"
  "$gobin/nfpm" package --config "$stage/nfpm-$fmt.yaml" --packager "$fmt" --target "$dist/" >/dev/null
done
say "built $(cd "$dist" && ls)"

# --- The tarball: kurier-<ver>/ with bin/ and share/, sorted, owned by root, dated SOURCE_DATE_EPOCH.
tarname="kurier-$pkgver-linux-amd64"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  --transform "s,^desktop,$tarname," -C "$stage" -cf - desktop | gzip -n -9 > "$dist/$tarname.tar.gz"

# --- Windows: the cross-built exe and its NSIS installer. Wails writes the installer; it is then made again
# with every input's mtime at SOURCE_DATE_EPOCH, because NSIS records the files' times.
"$gobin/wails" build -platform windows/amd64 -nsis -m -s -skipbindings -trimpath -tags nocluster \
  -ldflags "-s -w -buildid= -X github.com/kurier/kurier/internal/buildinfo.Version=$version" -o kurier.exe >"$stage/wails-windows.log" 2>&1 \
  || { cat "$stage/wails-windows.log" >&2; exit 1; }
find build/bin/kurier.exe build/windows -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
(cd build/windows/installer && makensis -V1 -DARG_WAILS_AMD64_BINARY="$OLDPWD/build/bin/kurier.exe" project.nsi)
[ -f build/bin/Kurier-amd64-installer.exe ] || { echo "package: the NSIS installer was not produced" >&2; exit 1; }
cp build/bin/kurier.exe "$dist/kurier-$pkgver-windows-amd64.exe"
cp build/bin/Kurier-amd64-installer.exe "$dist/kurier-$pkgver-windows-amd64-setup.exe"

# --- The backend: kurier-backend as a systemd service with a dedicated user, data in /var/lib/kurier and its
# configuration in /etc/kurier. The binary is pure Go and static, so it depends on nothing but adduser.
bstage="$stage/backend"
mkdir -p "$bstage"
gzip -n -9 < build/linux/backend/kurier-backend.1 > "$bstage/kurier-backend.1.gz"
gzip -n -9 < build/linux/backend/kurier-phone.1 > "$bstage/kurier-phone.1.gz"
printf 'kurier-backend (%s-1) unstable; urgency=medium\n\n  * Release %s.\n\n -- The Kurier authors <kurier@users.noreply.github.com>  %s\n' \
  "$pkgver" "$version" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")" | gzip -n -9 > "$bstage/changelog.gz"
install -m 0755 "$backend_bin" "$bstage/kurier-backend"
install -m 0755 "$phone_bin" "$bstage/kurier-phone"
find "$bstage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
cat > "$stage/nfpm-backend.yaml" <<YAML
name: kurier-backend
arch: amd64
platform: linux
version: "$pkgver"
version_schema: none
release: "1"
section: net
priority: optional
maintainer: "The Kurier authors <kurier@users.noreply.github.com>"
description: |-
  Kurier backend: chat, signaling, directory and blob servers.
  Runs a whole Kurier backend as the systemd service kurier-backend, as the
  system user kurier, with its data in /var/lib/kurier and its configuration
  in /etc/kurier/backend.env (SQLite and files by default; several nodes
  share one PostgreSQL database with KURIER_DATABASE_URL). Also contains
  kurier-phone, the virtual phone that QA and demos drive.
vendor: Kurier
homepage: https://github.com/kurier/kurier
license: LicenseRef-proprietary
mtime: "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
depends:
  - adduser
suggests:
  - postgresql
contents:
  - src: $bstage/kurier-backend
    dst: /usr/bin/kurier-backend
    file_info: {mode: 0755}
  - src: $bstage/kurier-phone
    dst: /usr/bin/kurier-phone
    file_info: {mode: 0755}
  - src: build/linux/backend/kurier-backend.service
    dst: /lib/systemd/system/kurier-backend.service
  - src: build/linux/backend/backend.env
    dst: /etc/kurier/backend.env
    type: config
    file_info: {mode: 0644}
  - src: $bstage/kurier-backend.1.gz
    dst: /usr/share/man/man1/kurier-backend.1.gz
  - src: $bstage/kurier-phone.1.gz
    dst: /usr/share/man/man1/kurier-phone.1.gz
  - src: build/linux/copyright
    dst: /usr/share/doc/kurier-backend/copyright
  - src: docs/backend.md
    dst: /usr/share/doc/kurier-backend/README.md
    file_info: {mode: 0644}
  - src: $bstage/changelog.gz
    dst: /usr/share/doc/kurier-backend/changelog.Debian.gz
scripts:
  postinstall: build/linux/backend/postinstall.sh
  preremove: build/linux/backend/preremove.sh
  postremove: build/linux/backend/postremove.sh
YAML
"$gobin/nfpm" package --config "$stage/nfpm-backend.yaml" --packager deb --target "$dist/" >/dev/null

# --- Checksums of everything above.
(cd "$dist" && LC_ALL=C ls | xargs sha256sum --) > "$stage/SHA256SUMS"
mv "$stage/SHA256SUMS" "$dist/SHA256SUMS"
say "artifacts in $dist:"
(cd "$dist" && ls -l --time-style=+ | awk 'NR>1 {printf "  %10d  %s\n", $5, $NF}')
