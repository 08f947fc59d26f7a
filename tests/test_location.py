"""A database on a network share is refused (with the reason and what to do); a sync folder warned."""

from __future__ import annotations

from pathlib import Path

import pytest
from exchange_helpers import make_db
from recovery_helpers import one_chinese_line, run_cli, sha

from gxdesk.store import location
from gxdesk.store.location import network_reason, sync_warning


def _mounted(monkeypatch: pytest.MonkeyPatch, point: Path, fstype: str) -> None:
    table = (
        "/dev/vda / ext4 rw,relatime 0 0\n"
        f"//fileserver/政务公开 {str(point).replace(' ', chr(92) + '040')} {fstype} rw 0 0\n"
    )
    monkeypatch.setattr(location, "mounts_text", lambda: table)


@pytest.mark.parametrize("fstype", ["cifs", "nfs4", "smb3"])
def test_a_database_on_a_network_mount_is_refused(tmp_path: Path, capsys, monkeypatch, fstype) -> None:  # type: ignore[no-untyped-def]
    db = make_db(tmp_path)
    db.close()
    _mounted(monkeypatch, tmp_path, fstype)
    before = sha(db.path)
    code, _out, err = run_cli(capsys, "--db", db.path, "tasks")
    assert code == 2
    line = one_chinese_line(err)
    assert f"网络位置（{fstype} 网络挂载 {tmp_path}）" in line
    assert "复制到本机" in line and location.ALLOW_ENV in line
    assert sha(db.path) == before
    monkeypatch.setenv(location.ALLOW_ENV, "1")  # the administrators' override
    code, out, err = run_cli(capsys, "--db", db.path, "tasks", "--on", "2014-10-20")
    assert code == 0, err
    assert len(out.splitlines()) == 34


def test_local_mounts_and_the_longest_mount_point_decide(tmp_path: Path) -> None:
    table = "/dev/vda / ext4 rw 0 0\nsrv:/x /mnt nfs rw 0 0\n/dev/vdb /mnt/local ext4 rw 0 0\n"
    assert network_reason(Path("/mnt/a/gx.sqlite"), table=table) == "nfs 网络挂载 /mnt"
    assert network_reason(Path("/mnt/local/gx.sqlite"), table=table) is None
    assert network_reason(Path("/mntx/gx.sqlite"), table=table) is None
    assert network_reason(Path(tmp_path / "gx.sqlite"), table=table) is None


def test_unc_paths_are_network_paths() -> None:
    assert network_reason(Path(r"\\SERVER\共享\gx.sqlite"), table="") == "UNC 网络路径"
    assert network_reason(Path("//server/share/gx.sqlite"), table="") == "UNC 网络路径"


def test_a_sync_folder_gets_a_warning_not_a_refusal(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "OneDrive - 市政府办公室"
    folder.mkdir()
    assert "OneDrive - 市政府办公室" in (sync_warning(folder / "gx.sqlite") or "")
    assert sync_warning(tmp_path / "gx.sqlite") is None
    from exchange_helpers import SEED

    code, _out, err = run_cli(capsys, "--db", folder / "gx.sqlite", "import-plan", SEED)
    assert code == 0
    assert "同步文件夹" in one_chinese_line(err)
