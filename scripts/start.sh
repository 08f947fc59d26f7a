#!/usr/bin/env bash
# Install gxdesk into .venv and start it on the shipped seed data (the 2014 plan).
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
if command -v dpkg-query >/dev/null; then need_debs "${QT_DEBS[@]}"; fi
make_venv ""
exec "$VENV/bin/gxdesk" "$@"
