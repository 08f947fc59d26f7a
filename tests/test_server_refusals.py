"""A server that cannot be used: one Chinese line, exit 2, nothing written anywhere.

Passwords come only from libpq's own files (password file, service file);
``sslmode`` is passed through to libpq.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from exchange_helpers import ROOT
from pg_helpers import _free_port

pytestmark = pytest.mark.pg


def run(db: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gxdesk", "--db", db, *args],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )  # fmt: skip


def refused(r: subprocess.CompletedProcess[str], *words: str) -> None:
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _tables(pg_server, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    import psycopg

    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]


def test_unreachable_server(tmp_path: Path) -> None:
    url = f"postgresql://gx@127.0.0.1:{_free_port()}/gx"
    refused(run(url, "tasks"), "无法连接数据库服务器", "127.0.0.1")


def test_wrong_or_missing_password(pg_server, pg_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pg_server.add_login("clerk_pw", "对的口令")
    url = pg_url.replace("gxadmin@", "clerk_pw@")
    wrong = tmp_path / "wrong.pgpass"
    wrong.write_text(f"127.0.0.1:{pg_server.port}:*:clerk_pw:错的口令\n", encoding="utf-8")
    wrong.chmod(0o600)
    refused(run(url, "tasks", env={"PGPASSFILE": str(wrong)}), "用户名或口令不对")
    empty = tmp_path / "empty.pgpass"
    empty.write_text("", encoding="utf-8")
    empty.chmod(0o600)
    refused(run(url, "tasks", env={"PGPASSFILE": str(empty)}), "要求口令", ".pgpass")
    assert _tables(pg_server, pg_url) == []  # nothing was created
    # with the session's password file the login gets in; a login without rights on the
    # empty database is then refused by the server, in one line too
    refused(run(url, "tasks"), "权限")


def test_password_in_the_address_is_refused(pg_url) -> None:  # type: ignore[no-untyped-def]
    refused(run(pg_url.replace("gxadmin@", "gxadmin:secret@"), "tasks"), "口令", ".pgpass")
    refused(run(pg_url + "?password=secret", "tasks"), "口令")


def test_missing_database(pg_server) -> None:  # type: ignore[no-untyped-def]
    refused(run(pg_server.url("没有这个库"), "tasks"), "没有这个数据库")


def test_database_of_another_application_is_left_alone(pg_server, pg_url) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (id int PRIMARY KEY, name text)")
        conn.execute("INSERT INTO customers VALUES (1, '张三')")
    for args in (("tasks",), ("import-plan", "data/plan2014-table.txt")):
        refused(run(pg_url, *args), "不是 gxdesk 数据库")
    assert _tables(pg_server, pg_url) == ["customers"]


def english_left(line: str) -> list[str]:
    """Latin words in a line once the address and the option's own name are taken out."""
    import re

    return re.findall(r"[A-Za-z]{3,}", re.sub(r"gxdesk|sslmode|[\w.-]+@[\w.:/-]+", "", line))


def test_sslmode_and_service_file_are_libpqs(pg_server, pg_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # the test server has no TLS: requiring it must fail, disabling it must work
    required = run(pg_url + "?sslmode=require", "tasks")
    refused(required, "不支持加密连接", "sslmode")
    assert english_left(required.stderr) == [], required.stderr
    assert run(pg_url + "?sslmode=disable", "calendar", "2014").returncode == 0
    dbname = pg_url.rsplit("/", 1)[1]
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[gxdesk]\nhost=127.0.0.1\nport={pg_server.port}\ndbname={dbname}\nuser=gxadmin\n",
        encoding="utf-8",
    )
    r = run("postgresql:///?service=gxdesk", "import-plan", "data/plan2014-table.txt",
            env={"PGSERVICEFILE": str(services)})  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "34 项任务" in r.stdout
