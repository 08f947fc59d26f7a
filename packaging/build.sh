#!/usr/bin/env bash
# Build the one-folder program with PyInstaller (on Linux here; on Windows, or a
# Windows Python under Wine, the same spec gives gxdesk.exe).
#   bash packaging/build.sh [DIST_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="${1:-$ROOT/dist}"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$DIST/.build" "$ROOT/packaging/gxdesk.spec"
echo "$DIST/gxdesk"
