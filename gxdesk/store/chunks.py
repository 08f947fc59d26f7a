"""``IN (…)`` lists in pieces SQLite accepts: the one place the 900 lives.

SQLite builds before 3.32 refuse more than 999 bound parameters per statement,
and the system SQLite of an older Kylin/UOS release may be one of them. A list
of ids longer than that is asked in chunks of :data:`CHUNK`. Integer ids may be
inlined into the SQL text instead of bound (``int()`` makes them safe), which
spares SQLite the parameter binding on a merge's many lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

CHUNK = 900
#: a server takes long lists, and each statement is a round trip with a plan of its own:
#: a 100-workbook merge asked 226 lists of 900 in 5 s where 5 lists of 50,000 take 0.5 s
SERVER_CHUNK = 50_000

T = TypeVar("T")


def chunk_size(on_server: bool) -> int:
    """How many ids one ``IN (…)`` list may hold on this back end."""
    return SERVER_CHUNK if on_server else CHUNK


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def id_lists(ids: Iterable[int], size: int = CHUNK) -> Iterator[str]:
    """``"1,2,3"``: integer ids joined for an inlined ``IN (…)``, at most ``size`` a list."""
    for chunk in chunks(list(ids), size):
        yield ",".join(str(int(i)) for i in chunk)


def marks(n: int) -> str:
    """``"?,?,?"``: ``n`` placeholders for a bound ``IN (…)``."""
    return ",".join("?" * n)
