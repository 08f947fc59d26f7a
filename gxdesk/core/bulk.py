"""Bulk work without the cyclic garbage collector's pauses.

A merge of a hundred returned workbooks allocates a few hundred thousand small,
acyclic objects (rows, values, reports) that stay alive until the merge ends.
CPython's collector counts allocations, so it runs again and again over that
growing heap and finds nothing to free: measured at about 0.14 s of a 1 s
merge (100 files × 200 rows). Reference counting still frees everything as
usual while the collector is paused; it is switched back on when the outermost
bulk section ends, whichever thread opened it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause automatic garbage collection for the block (nestable, thread-safe)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
