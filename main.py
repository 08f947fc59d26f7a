"""Double-click / PyInstaller entry point: starts the window (or runs a command)."""

import sys

from gxdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
