#!/bin/sh
# kurier-backend: on purge, delete the service's data (keys, stores), its enablement and its user.
set -e
if [ -d /run/systemd/system ]; then
  systemctl --system daemon-reload >/dev/null || true
fi
if [ "$1" = "purge" ]; then
  if command -v deb-systemd-helper >/dev/null; then
    deb-systemd-helper purge kurier-backend.service >/dev/null || true
  fi
  rm -rf /var/lib/kurier
  if getent passwd kurier >/dev/null; then
    deluser --system --quiet kurier >/dev/null 2>&1 || true
  fi
  if getent group kurier >/dev/null; then
    delgroup --system --quiet kurier >/dev/null 2>&1 || true
  fi
fi
exit 0
