#!/usr/bin/env bash
# Opens the Kurier window. On a machine without a desktop session (no DISPLAY
# or WAYLAND_DISPLAY, as on CI or a server), starts a private Xvfb display
# first so the app still runs, and says how to look at it.
set -euo pipefail
app=$1
shift

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$app" "$@"
fi

command -v Xvfb >/dev/null || { echo "run: no display and no Xvfb (make deps installs it)" >&2; exit 1; }
exec {fd}<> <(:)
Xvfb -displayfd "$fd" -screen 0 1280x800x24 -nolisten tcp &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
read -r -t 20 -u "$fd" n || { echo "run: Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$n"
cat <<MSG
run: no desktop session found, so Kurier opens on a private virtual display $DISPLAY.
     Screenshot:  DISPLAY=$DISPLAY import -window "\$(DISPLAY=$DISPLAY xdotool search --onlyvisible --name '^Kurier\$')" kurier.png
     Or use the same UI in a browser: make web
     Ctrl+C stops Kurier.
MSG
"$app" "$@"
