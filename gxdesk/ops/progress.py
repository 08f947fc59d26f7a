"""The plain callbacks every workflow takes: progress reports and the cancel question.

``step(done, total, label)`` reports progress (``total`` 0: unknown);
``cancelled()`` says whether to stop. The window passes its job's control, the
command line nothing (the defaults below). No Qt, no ``ui`` object.
"""

from __future__ import annotations

from collections.abc import Callable

Step = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


def no_step(_done: int, _total: int, _label: str) -> None:
    """The default ``step``: report nowhere."""
    return None


def never() -> bool:
    """The default ``cancelled``: run to the end."""
    return False
