"""``python -m gxdesk``: the same entry point as the ``gxdesk`` command."""

import sys

from gxdesk.cli import main

sys.exit(main())
