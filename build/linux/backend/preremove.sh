#!/bin/sh
# kurier-backend: stop the service before its files go.
set -e
if [ -d /run/systemd/system ]; then
  deb-systemd-invoke stop kurier-backend.service >/dev/null || true
fi
exit 0
