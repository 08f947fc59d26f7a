"""The collector pause around bulk work: nested, thread-safe, always undone."""

from __future__ import annotations

import gc
import threading

import pytest

from gxdesk.core.bulk import paused_gc


def test_pause_nests_and_restores() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer section still runs
    assert gc.isenabled()


def test_pause_is_undone_by_an_error() -> None:
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("bad file")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_sections_in_threads_end_enabled() -> None:
    inside = threading.Barrier(3)
    leave = threading.Event()

    def work() -> None:
        with paused_gc():
            inside.wait()
            leave.wait()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait()
    assert not gc.isenabled()
    leave.set()
    for t in threads:
        t.join()
    assert gc.isenabled()
