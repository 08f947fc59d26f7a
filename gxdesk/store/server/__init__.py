"""The shared PostgreSQL server mode: the same store on a server several clerks use at once.

SQLite stays the default; a ``postgresql://`` address instead of a file opens a
:class:`~gxdesk.store.server.database.ServerDatabase`, which the rest of the
program uses exactly like the file (``raw()`` for lean list reads, sessions for
writes). The modules: ``address`` (what the clerk types, checked), ``connect``
(libpq connections and their refusals in Chinese), ``ddl`` (the migrations
translated for PostgreSQL, plus what only a server has), ``raw`` (sqlite3-shaped
read connections), ``database`` (the object itself), ``roles`` (lead office and
per-unit accounts under row-level security), ``copy`` (moving a year between a
file and a server).
"""

from __future__ import annotations

from gxdesk.store.server.address import is_server_address

__all__ = ["is_server_address"]
