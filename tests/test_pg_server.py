"""The test PostgreSQL server itself: real, local only, reached through the password file."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.pg  # needs the PostgreSQL server started by pg_helpers


def test_server_answers_on_loopback_only(pg_server, pg_url) -> None:
    import psycopg

    with psycopg.connect(pg_url) as conn:
        listen = conn.execute("SHOW listen_addresses").fetchone()[0]
        version = conn.execute("SHOW server_version_num").fetchone()[0]
        ssl = conn.execute("SHOW ssl").fetchone()[0]
    assert listen == "127.0.0.1"
    assert int(version) >= 120000
    assert ssl == "off"


def test_wrong_password_is_refused(pg_server) -> None:
    import psycopg

    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(pg_server.url("postgres") + "?password=falsch&passfile=/nonexistent")
