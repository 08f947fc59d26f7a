"""One writer at a time: a lock file beside the database (Qt-free, so the
command line honours it as the window does).

``NAME.sqlite.lock`` records who writes (host, process, user, since when) and
is held with an OS lock (``flock`` / ``msvcrt.locking``) for as long as the
writer runs. The OS lock, not the file's existence, decides: a crashed
writer's OS lock is gone with it, so its file is stale and taken over. A lock
file written by another computer cannot be judged from here (its process may
be alive there; locks over network shares are unreliable): taking it over
needs ``force`` — the window asks the clerk first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from gxdesk.store.processes import host_name, pid_alive
from gxdesk.store.sqlite_file import DatabaseError


@dataclass(frozen=True, slots=True)
class LockHolder:
    host: str
    pid: int
    user: str
    since: dt.datetime
    kind: str = "cli"  # "window": a window holds it (a second start raises that window)

    def describe(self) -> str:
        return f"数据正被 {self.host} 使用（自 {self.since:%H:%M} 起，用户 {self.user}，进程 {self.pid}）"

    @property
    def here(self) -> bool:
        return self.host == host_name()


class DatabaseLockedError(DatabaseError):
    """Another writer holds the database; ``holder`` says who, ``other_host`` whether
    taking it over needs the clerk's confirmation."""

    def __init__(self, holder: LockHolder, *, other_host: bool) -> None:
        self.holder = holder
        self.other_host = other_host
        hint = "，确认对方已关闭程序后可接管" if other_host else "，请先关闭那边的程序"
        super().__init__(f"{holder.describe()}{hint}")


def lock_path(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + ".lock")


def _read(path: Path) -> LockHolder | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
        return LockHolder(
            str(data["host"]),
            int(data["pid"]),
            str(data.get("user", "")),
            dt.datetime.fromisoformat(data["since"]),
            str(data.get("kind", "cli")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _os_lock(fd: int) -> bool:
    """Take the OS lock on ``fd`` without waiting; False when another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment: the lock still works
        return "?"


class WriterLock:
    """The lock of one database; :meth:`acquire` raises DatabaseLockedError if held."""

    def __init__(self, db_path: Path, *, kind: str = "cli") -> None:
        self.path = lock_path(db_path)
        self.kind = kind
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, *, force: bool = False) -> None:
        if self._fd is not None:
            return
        for _attempt in range(5):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            if not _os_lock(fd):
                os.close(fd)
                holder = _read(self.path)
                if holder is None:  # being written this instant
                    holder = LockHolder("?", 0, "?", dt.datetime.now())
                raise DatabaseLockedError(holder, other_host=False)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if not same:  # released and removed between our open and our lock: again
                os.close(fd)
                continue
            holder = _read(self.path)
            # on this computer, getting the OS lock means its writer is gone: stale, taken over
            if holder is not None and not holder.here and not force:
                os.close(fd)
                raise DatabaseLockedError(holder, other_host=True)
            mine = {
                "host": host_name(),
                "pid": os.getpid(),
                "user": _user(),
                "since": dt.datetime.now().isoformat(timespec="seconds"),
                "kind": self.kind,
            }
            data = json.dumps(mine, ensure_ascii=False).encode("utf-8")
            if sys.platform == "win32":  # the locked byte is 0: write after it
                data = b" " + data
            os.lseek(fd, 0, os.SEEK_SET)
            if sys.platform != "win32":
                os.ftruncate(fd, 0)
            os.write(fd, data)
            os.fsync(fd)
            self._fd = fd
            return
        raise DatabaseError(f"无法取得数据库的写入锁：{self.path}")

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = None


def lock_holder(db_path: Path) -> LockHolder | None:
    """Who holds the database's lock now (None when nobody, or only a stale file)."""
    path = lock_path(db_path)
    if not path.exists():
        return None
    holder = _read(path)
    try:
        fd = os.open(path, os.O_RDONLY if sys.platform != "win32" else os.O_RDWR)
    except OSError:
        return holder
    try:
        if sys.platform != "win32":
            import fcntl

            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return holder or LockHolder("?", 0, "?", dt.datetime.now())
            fcntl.flock(fd, fcntl.LOCK_UN)
            if holder is not None and not holder.here:
                return holder  # another computer's: its OS lock is not visible here
            return None
        return holder if holder and (not holder.here or pid_alive(holder.pid)) else None
    finally:
        os.close(fd)
