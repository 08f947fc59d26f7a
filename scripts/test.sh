#!/usr/bin/env bash
# Install gxdesk with its test tools into .venv (and the system packages the tests use:
# Qt's libraries, poppler-utils to render PDFs, fontconfig, LibreOffice Calc with Carlito to
# print workbooks as a spreadsheet program does, LibreOffice Writer to lay out the .docx
# notices, xvfb and xdotool to start the real window, locales for the zh_CN source the
# Windows build's code-page-936 test compiles, postgresql for the server tests),
# lint, type-check, then run the whole suite.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
if command -v dpkg-query >/dev/null; then
  need_debs "${QT_DEBS[@]}" poppler-utils fontconfig libreoffice-calc libreoffice-writer \
    fonts-crosextra-carlito xvfb xdotool locales postgresql
fi
make_venv "[test]"
cd "$ROOT"
"$VENV/bin/ruff" check gxdesk tests benchmarks scripts main.py
"$VENV/bin/mypy"  # what and how strictly: [tool.mypy] in pyproject.toml
"$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
