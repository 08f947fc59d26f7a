# Shared by start.sh and test.sh: system libraries Qt needs, a virtualenv, the package.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${GXDESK_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"

need_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "Installing system packages: ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "Missing system packages (install them as root): ${missing[*]}" >&2
      exit 1
    fi
  fi
}

# Qt's offscreen/xcb platforms need these shared libraries on a bare Debian/Kylin/UOS.
QT_DEBS=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libxcb-cursor0 libglib2.0-0)

make_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  local log="$VENV/install.log"
  # Quiet unless it fails: then the whole install log is shown.
  if ! { "$VENV/bin/python" -m pip install -q --upgrade pip && \
         "$VENV/bin/python" -m pip install -q -e "$ROOT$1"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "Installing gxdesk failed (log above)." >&2
    exit 1
  fi
}
