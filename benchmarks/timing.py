"""Timing shared by the benchmarks."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in seconds: a noisy machine does not decide.

    Garbage from the run before is collected first, so no run pays for another's.
    """
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)
