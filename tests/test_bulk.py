"""Bulk sections (collector paused, short GIL switches): nested, thread-safe, always undone."""

from __future__ import annotations

import gc
import sys
import threading

import pytest

from gxdesk.runtime import BULK_SWITCH_INTERVAL, bulk_work


def test_pause_nests_and_restores() -> None:
    assert gc.isenabled()
    interval = sys.getswitchinterval()
    with bulk_work():
        assert not gc.isenabled()
        assert sys.getswitchinterval() == pytest.approx(BULK_SWITCH_INTERVAL)
        with bulk_work():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer section still runs
        assert sys.getswitchinterval() == pytest.approx(BULK_SWITCH_INTERVAL)
    assert gc.isenabled()
    assert sys.getswitchinterval() == interval


def test_pause_is_undone_by_an_error() -> None:
    interval = sys.getswitchinterval()
    with pytest.raises(RuntimeError), bulk_work():
        raise RuntimeError("bad file")
    assert gc.isenabled() and sys.getswitchinterval() == interval


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with bulk_work():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_sections_in_threads_end_enabled() -> None:
    inside = threading.Barrier(3)
    leave = threading.Event()

    def work() -> None:
        with bulk_work():
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
