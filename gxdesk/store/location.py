"""Where the database may live: not on a network share, and better not in a sync folder.

SQLite's locking is not reliable over SMB/CIFS or NFS (byte-range locks are
emulated, cached or ignored), so two offices' PCs could both write and damage
the file; a database there is refused with the reason and the offer to copy it
to the local data folder. Administrators who know their share may set
``GXDESK_ALLOW_NETWORK=1``. A cloud-sync folder (OneDrive, 坚果云 …) only gets a
warning: it works while one PC writes, but the sync tool may replace the file
under the program or keep conflicting copies.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

from gxdesk.store.sqlite_file import DatabaseError

ALLOW_ENV = "GXDESK_ALLOW_NETWORK"
NETWORK_FS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "sshfs",
    "9p",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
    "afs",
    "ncpfs",
    "fuse.rclone",
    "davfs",
    "fuse.davfs2",
}
SYNC_FOLDERS = (
    "onedrive",
    "dropbox",
    "google drive",
    "googledrive",
    "icloud",
    "坚果云",
    "nutstore",
    "百度网盘",
    "baidunetdisk",
    "wps云盘",
    "wpsdrive",
    "synologydrive",
    "seafile",
    "nextcloud",
)


class NetworkPathError(DatabaseError):
    """The database is on a network path; ``path`` is the file, for the offer to copy it."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(
            f"数据库在网络位置（{reason}）：{path}。SQLite 在网络共享上的文件锁不可靠，"
            "多台电脑同时写入会损坏数据，请把它复制到本机的数据文件夹后再打开"
            f"（管理员确认共享可靠时可设置环境变量 {ALLOW_ENV}=1）"
        )


def mounts_text() -> str:
    """The mount table of Linux (empty elsewhere or when unreadable)."""
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _linux_fs(path: Path, table: str) -> tuple[str, str] | None:
    """(mount point, file system type) of the mount holding ``path``."""
    best: tuple[str, str] | None = None
    target = str(path)
    for line in table.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) > len(best[0])):
            best = (point, parts[2])
    return best


def _windows_drive_is_remote(drive: str) -> bool:
    if sys.platform != "win32":
        return False
    import ctypes

    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # type: ignore[attr-defined, unused-ignore]  # Windows only; DRIVE_REMOTE


def network_reason(path: Path, *, table: str | None = None) -> str | None:
    """Why ``path`` is on a network location, or None when it is local."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return "UNC 网络路径"
    win = PureWindowsPath(text)
    if win.drive and len(win.drive) == 2 and _windows_drive_is_remote(win.drive):
        return f"映射的网络驱动器 {win.drive}"
    if sys.platform.startswith("linux") or table is not None:
        found = _linux_fs(Path(os.path.abspath(path)), mounts_text() if table is None else table)
        if found and found[1].lower() in NETWORK_FS:
            return f"{found[1]} 网络挂载 {found[0]}"
    return None


def sync_folder(path: Path) -> str | None:
    """The cloud-sync folder ``path`` is in (its name), or None."""
    for part in Path(os.path.abspath(path)).parts:
        low = part.lower()
        if any(name in low for name in SYNC_FOLDERS):
            return part
    return None


def sync_warning(path: Path) -> str | None:
    folder = sync_folder(path)
    if folder is None:
        return None
    return (
        f"提示：数据库在同步文件夹“{folder}”中。同步软件可能在程序打开时替换文件或产生冲突副本；"
        "请只在一台电脑上使用，或把数据库放到本机的数据文件夹"
    )


def check_location(path: Path) -> None:
    """Raise NetworkPathError for a network path unless administrators allowed it."""
    if os.environ.get(ALLOW_ENV) == "1":
        return
    reason = network_reason(path)
    if reason is not None:
        raise NetworkPathError(Path(path), reason)
