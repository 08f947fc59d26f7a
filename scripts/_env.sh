# Shared by start.sh and test.sh: system libraries Qt needs, a virtualenv, the package.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${GXDESK_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"

need_debs() {
  # One dpkg-query for all of them: a call per package cost about half a second at start-up.
  local missing=() installed
  installed="$(dpkg-query -W -f='${Package}:${Status}\n' "$@" 2>/dev/null \
    | sed -n 's/^\([^:]*\):install ok installed$/\1/p')" || true
  for pkg in "$@"; do
    grep -qxF "$pkg" <<<"$installed" || missing+=("$pkg")
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

# The Debian packages holding every shared library that Qt's xcb platform plugin and the Qt
# libraries it loads link, outside what PySide6 bundles (its ICU). Derived, not remembered:
#   Q=.venv/lib/python3.*/site-packages/PySide6/Qt
#   objdump -p $Q/plugins/platforms/libqxcb.so $Q/plugins/xcbglintegrations/*.so \
#     $Q/lib/libQt6{XcbQpa,Gui,Core,DBus,Widgets,OpenGL}.so.6 | awk '/NEEDED/{print $2}' | sort -u
# then `dpkg -S */LIB` for each (for the ones `ldd` shows "not found": apt-cache search).
# libc6/libstdc++6/libgcc-s1/zlib1g are always there and left out; so is GTK for the optional
# libqgtk3 theme plugin (Qt falls back to its own style without it).
# tests/test_real_display.py fails when `ldd` on the plugin finds a library missing.
QT_DEBS=(libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 libzstd1
  libx11-6 libx11-xcb1 libxkbcommon0 libxkbcommon-x11-0
  libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
  libxcb-xfixes0 libxcb-xkb1)

# Reinstall the package only when pyproject.toml changed since the last install (or an extra is
# wanted that was not installed): the hash and the extra are kept in a stamp file in the virtualenv.
pyproject_hash() {
  sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1
}

make_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/gxdesk-install.stamp" hash had=""
  hash="$(pyproject_hash)"
  [ -f "$stamp" ] && had="$(cat "$stamp")"
  if [ "$had" = "$hash $1" ] || { [ -z "$1" ] && [ "${had%% *}" = "$hash" ]; }; then
    return 0
  fi
  local log="$VENV/install.log"
  # Quiet unless it fails: then the whole install log is shown.
  if ! { "$VENV/bin/python" -m pip install -q --upgrade pip && \
         "$VENV/bin/python" -m pip install -q -e "$ROOT$1"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "Installing gxdesk failed (log above)." >&2
    exit 1
  fi
  echo "$hash $1" >"$stamp"
}
