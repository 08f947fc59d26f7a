"""Timing shared by the benchmarks."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

T = TypeVar("T")


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


class Timing(NamedTuple):
    """One run: wall-clock seconds and the CPU seconds of every thread of this process.

    Beside each other they tell load from cost: on a busy machine the wall time
    grows while the CPU time stays; work moved to another thread shows as CPU
    time above the wall time.
    """

    wall: float
    cpu: float

    def plus(self, other: Timing) -> Timing:
        return Timing(self.wall + other.wall, self.cpu + other.cpu)


def timed(fn: Callable[[], object]) -> Timing:
    """One run of ``fn``, after collecting the garbage of the run before."""
    gc.collect()
    w, c = time.perf_counter(), time.process_time()
    fn()
    return Timing(time.perf_counter() - w, time.process_time() - c)


def interleaved(runs: Sequence[Callable[[], T]], rounds: int) -> list[list[T]]:
    """Each of ``runs`` once per round, in turn (A B A B …), for ``rounds`` rounds.

    A floor and the code measured against it then meet the same moments of a
    shared machine's load, instead of one getting the quiet minute and the other
    the busy one. Each run returns its own timing (so it can leave its set-up
    out); the result holds every run's, by run.
    """
    out: list[list[T]] = [[] for _ in runs]
    for _ in range(rounds):
        for i, run in enumerate(runs):
            out[i].append(run())
    return out


def least(timings: Sequence[Timing]) -> Timing:
    """The best wall time and, separately, the best CPU time of several runs."""
    return Timing(min(t.wall for t in timings), min(t.cpu for t in timings))


def load_text() -> str:
    """The machine's load averages (1, 5, 15 min), printed beside figures from a shared machine."""
    try:
        one, five, fifteen = os.getloadavg()
    except (AttributeError, OSError):  # Windows has none
        return "load unknown"
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"
