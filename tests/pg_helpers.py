"""A real PostgreSQL server for the tests that need one, started by the tests themselves.

Debian's ``postgresql`` package (installed by ``scripts/test.sh``) provides
``initdb`` and ``postgres``; a cluster is created in a temporary folder, listens
on 127.0.0.1 only, on a free port, and is stopped when the session ends. The
superuser has a password kept in a ``PGPASSFILE`` written for the session, so
every connection (tests and the ``gxdesk`` processes they start) goes through
libpq's own password file, as a clerk's would.

Without the server programs the tests that need it are skipped, except under
``CI=true``, where they fail: a missing server must not pass unnoticed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ADMIN = "gxadmin"
ADMIN_PASSWORD = "测试-admin-口令"


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """A running throw-away cluster on 127.0.0.1:``port``."""

    port: int
    root: Path
    bin: Path
    passfile: Path

    def url(self, dbname: str, user: str = ADMIN) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def admin(self, dbname: str = "postgres"):  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(self.url(dbname), autocommit=True)

    def new_database(self, prefix: str = "gx") -> str:
        """A fresh, empty database; returns its URL (as the superuser)."""
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def add_login(self, user: str, password: str) -> None:
        """A login role with a password, also written to the session's password file."""
        with self.admin() as conn:
            conn.execute(f"CREATE ROLE \"{user}\" LOGIN PASSWORD '{password}'")
        with self.passfile.open("a", encoding="utf-8") as f:
            f.write(f"127.0.0.1:{self.port}:*:{user}:{password}\n")


def _run_as(user: str | None, cmd: list[str]) -> subprocess.CompletedProcess[str]:
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """Start a PostgreSQL cluster for the session (see the module docstring)."""
    bindir = _bin_dir()
    if bindir is None:
        message = "需要 PostgreSQL 服务器程序（Debian 软件包 postgresql）"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with running_server(bindir) as server:
        yield server


@contextlib.contextmanager
def running_server(bindir: Path | None = None) -> Iterator[PgServer]:
    """A throw-away cluster for as long as the block runs (also used by the benchmarks)."""
    bindir = bindir or _bin_dir()
    if bindir is None:
        raise RuntimeError("PostgreSQL server programs not found (Debian package postgresql)")
    root = Path(tempfile.mkdtemp(prefix="gxdesk-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    pwfile = root / "pw"
    pwfile.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    user = "nobody" if os.geteuid() == 0 else None  # postgres refuses to run as root
    if user:
        shutil.chown(root, user)
        shutil.chown(sockets, user)
        shutil.chown(pwfile, user)
    init = _run_as(
        user,
        [str(bindir / "initdb"), "-D", str(data), "-U", ADMIN, f"--pwfile={pwfile}",
         "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"],
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    port = _free_port()
    log = root / "server.log"
    cmd = [str(bindir / "postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(port),
           "-k", str(sockets), "-c", "fsync=off", "-c", "max_connections=60"]  # fmt: skip
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    passfile = root / "pgpass"
    passfile.write_text(f"127.0.0.1:{port}:*:{ADMIN}:{ADMIN_PASSWORD}\n", encoding="utf-8")
    passfile.chmod(0o600)
    saved = {k: os.environ.get(k) for k in ("PGPASSFILE", "PGSSLMODE", "PGCONNECT_TIMEOUT")}
    os.environ["PGPASSFILE"] = str(passfile)
    os.environ["PGCONNECT_TIMEOUT"] = "5"
    os.environ.pop("PGSSLMODE", None)
    server = PgServer(port, root, bindir, passfile)
    try:
        deadline = time.monotonic() + 30
        while True:
            ready = _run_as(None, [str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)])
            if ready.returncode == 0:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(log.read_text(encoding="utf-8", errors="replace"))
            time.sleep(0.2)
        yield server
    finally:
        _run_as(user, [str(bindir / "pg_ctl"), "-D", str(data), "stop", "-m", "fast", "-w"])
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a fresh empty database on the session's server."""
    return pg_server.new_database()
