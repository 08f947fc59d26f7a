"""libpq connections to the server, and their failures as one Chinese line.

Everything libpq knows is left to it (password file, service file, ``sslmode``,
``PGCONNECT_TIMEOUT``); the program adds only a connect timeout when none is
given, so an unreachable server is refused in seconds, not minutes.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from gxdesk.store.database import DatabaseError
from gxdesk.store.server import reasons
from gxdesk.store.server.address import check_address, describe
from gxdesk.store.server.reasons import server_failure

if TYPE_CHECKING:
    import psycopg

__all__ = ["CONNECT_TIMEOUT", "ServerError", "connect", "explain", "server_failure"]

CONNECT_TIMEOUT = 10  # seconds, when neither the address nor PGCONNECT_TIMEOUT says


class ServerError(DatabaseError):
    """The server refused or could not be reached; the message is for the clerk."""


def explain(exc: BaseException, url: str) -> str:
    """One Chinese line for a libpq / server error on the server at ``url``."""
    return reasons.explain(exc, describe(url) if url else "")


def connect(url: str, **kwargs: object) -> psycopg.Connection:
    """A psycopg connection to ``url`` (checked); ServerError with a Chinese reason if none."""
    import psycopg

    check_address(url)
    if "connect_timeout" not in url and "PGCONNECT_TIMEOUT" not in os.environ:
        kwargs.setdefault("connect_timeout", CONNECT_TIMEOUT)
    kwargs.setdefault("application_name", "gxdesk")
    try:
        return psycopg.connect(url, **kwargs)  # type: ignore[arg-type]
    except psycopg.Error as exc:
        raise ServerError(explain(exc, url)) from None
