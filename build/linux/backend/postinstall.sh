#!/bin/sh
# kurier-backend: create the service user, then enable and (re)start the service where systemd runs.
set -e
if ! getent passwd kurier >/dev/null; then
  adduser --system --group --home /var/lib/kurier --no-create-home --quiet kurier
fi
# The data directory (systemd's StateDirectory= creates it too; this makes it exist without systemd).
install -d -o kurier -g kurier -m 0700 /var/lib/kurier
if command -v deb-systemd-helper >/dev/null; then
  deb-systemd-helper unmask kurier-backend.service >/dev/null || true
  deb-systemd-helper enable kurier-backend.service >/dev/null || true
fi
if [ -d /run/systemd/system ]; then
  systemctl --system daemon-reload >/dev/null || true
  deb-systemd-invoke restart kurier-backend.service >/dev/null || true
fi
exit 0
