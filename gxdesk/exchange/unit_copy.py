"""A unit's own copy of its progress workbook: read it, fill it in, write it back.

A unit that has gxdesk opens the workbook the lead office mailed, fills it in
the window and saves it. Everything needed comes from the file — the unit has
no database of the lead office's. The file is read with the returned-workbook
reader (same safety checks, same hidden identity), the unit's cells with the
value readers of :mod:`gxdesk.core.values` (the merge's own rules), and it is
written back by the exporter with the identity it came with: plan, revision,
unit, export id and every row's task id, assignment version and hashes
unchanged, so the lead office's merge treats it as that unit's returned file.

No Qt here; openpyxl and python-calamine are imported only when a file is read
or written, so the window can import the dataclasses at start-up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.core.model import Light, Status
from gxdesk.core.row_verdict import Verdict, Why, row_verdict
from gxdesk.core.values import Unreadable, read_date, read_percent, read_status, read_text
from gxdesk.core.workbook_data import (
    LEAD_COLUMNS,
    UNIT_COLUMNS,
    ExportMeta,
    ReturnedRow,
    RowKey,
    UnitReport,
    lead_hash,
    long_text_cells,
    unit_hash,
)

if TYPE_CHECKING:  # the reader imports python-calamine: only when a file is read
    from gxdesk.exchange.workbook_reader import Grid

UNIT_FIELDS = tuple(f for f, _ in UNIT_COLUMNS)
UNIT_HEADERS = dict(UNIT_COLUMNS)
_LIGHTS = {light.label: light for light in Light}
_DEFAULT_LEAD_OFFICE = "政府办公室（政务公开办）"


class UnitCopyError(Exception):
    """The file cannot be opened or saved as a unit's copy; the message is for the clerk."""


def _status_cell(value: object) -> Status | Unreadable | None:
    return value if isinstance(value, Status) else read_status(value)


def _percent_cell(value: object) -> int | Unreadable | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # 1 from a spin box is 1%, not the fraction 1 = 100%
    return read_percent(value)


def read_unit_value(name: str, value: object, *, year: int) -> object:
    """One unit cell as the merge reads it (a spin box's int is a whole percent)."""
    if name == "status":
        return _status_cell(value)
    if name == "percent":
        return _percent_cell(value)
    if name == "done_on":
        return read_date(value, year=year)
    if name in UNIT_HEADERS:
        return read_text(value)
    raise KeyError(name)


def values_from_cells(cells: Mapping[str, object], *, year: int) -> UnitReport:
    """The unit's eight cells read as :func:`read_unit_value` reads each."""
    return UnitReport(
        status=_status_cell(cells.get("status")),
        percent=_percent_cell(cells.get("percent")),
        text=read_text(cells.get("text")),
        done_on=read_date(cells.get("done_on"), year=year),
        evidence=read_text(cells.get("evidence")),
        problems=read_text(cells.get("problems")),
        contact=read_text(cells.get("contact")),
        phone=read_text(cells.get("phone")),
    )


@dataclass(frozen=True, slots=True)
class CopyRow:
    """One task of the copy: the lead office's columns (read-only) and the values read."""

    key: RowKey
    seq: str
    category: str
    name: str
    requirement: str
    deadline: str
    role: str
    light: Light | None
    values: UnitReport
    sheet_row: int

    def lead_values(self) -> tuple[str, ...]:
        return (self.seq, self.category, self.name, self.requirement, self.deadline, self.role)

    @property
    def lead_edited(self) -> bool:
        """The lead office's columns no longer match the hash they went out with."""
        return not (
            self.key.lead_hash and lead_hash(self.lead_values()).startswith(self.key.lead_hash)
        )


@dataclass(frozen=True)
class UnitCopy:
    """A unit's workbook as read: enough to show it and to write it again."""

    path: Path
    sha256: str
    meta: ExportMeta
    meta_source: str  # "sheet" or "properties"
    keys: tuple[RowKey, ...]  # every row key of the file, in its order
    rows: tuple[CopyRow, ...]
    on: dt.date
    plan_title: str = ""
    lead_office: str = _DEFAULT_LEAD_OFFICE
    warnings: tuple[str, ...] = field(default=())

    @property
    def year(self) -> int:
        return self.meta.plan_year


def _verdict(row: CopyRow, values: UnitReport, on: dt.date | None = None) -> Verdict:
    """The merge's own verdict on what the file alone shows (see :func:`row_problems`)."""
    unreadable = [
        (name, value.reason)
        for name in ("status", "percent", "done_on")
        if isinstance(value := getattr(values, name), Unreadable)
    ]
    unreadable += long_text_cells(values)
    text = values.as_text() if not unreadable else ()
    return row_verdict(
        lead_untouched=not row.lead_edited,
        unreadable=unreadable,
        untouched=bool(row.key.unit_hash) and unit_hash(text).startswith(row.key.unit_hash),
        has_status=values.status is not None,
        same_as_latest=not any(text),
        report=values if not unreadable else None,
        on=on,
    )


def row_problems(row: CopyRow, values: UnitReport) -> list[str]:
    """What the lead office's merge would refuse in this row, in Chinese, by column.

    The merge's own verdict (:func:`gxdesk.core.row_verdict.row_verdict`) on
    what the file alone shows: lead columns edited → rejected; a value the
    readers cannot read → invalid (a text over Excel's cell limit too); changed
    from what went out but no 进展状态 → invalid. Without the lead office's
    database the copy takes a blank row as what the database holds (an
    unreported task), as the merge does when there is no report yet.
    """
    return [
        _PROBLEM_TEXT[why](UNIT_HEADERS.get(name, ""), reason)
        for why, name, reason in _verdict(row, values).problems
    ]


def row_warnings(row: CopyRow, values: UnitReport, on: dt.date) -> list[str]:
    """What the lead office's merge would hold for its clerk to verify (待核实), in
    the same words: 已完成 below 100%, a 完成时间 after ``on``, … (the verdict's
    :func:`gxdesk.core.row_verdict.implausible`)."""
    return list(_verdict(row, values, on).warnings)


_PROBLEM_TEXT: dict[Why, Callable[[str, str], str]] = {
    Why.LEAD_EDITED: lambda _header, _reason: "灰色栏目被改动，牵头单位将不采用该行",
    Why.UNREADABLE: lambda header, reason: f"{header}：{reason}",
    Why.NO_STATUS: lambda _header, _reason: "填写了进展但未选择进展状态",
}


# --- reading ------------------------------------------------------------------------


def is_unit_workbook(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` carries a unit workbook's hidden identity (a cheap look, no reading).

    A plan .xlsx has neither the very-hidden sheet nor the ``gxdesk.`` document
    properties; a unit's workbook has at least one of them.
    """
    from gxdesk.exchange.unit_workbook import META_SHEET, PROPERTY_PREFIX

    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "docProps/custom.xml" in names:
                info = zf.getinfo("docProps/custom.xml")
                if info.file_size < 1_000_000 and (
                    f'name="{PROPERTY_PREFIX}export_id"'.encode() in zf.read(info)
                ):
                    return True
            if "xl/workbook.xml" in names:
                info = zf.getinfo("xl/workbook.xml")
                if info.file_size < 1_000_000:
                    return f'name="{META_SHEET}"'.encode() in zf.read(info)
    except (OSError, zipfile.BadZipFile, KeyError):
        return False
    return False


def _xml_text(data: bytes, part: str, tag: str) -> str:
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            root = ElementTree.fromstring(zf.read(part))
    except Exception:  # an optional part, missing or broken: treated as absent
        return ""
    for el in root.iter():
        if el.tag.endswith("}" + tag) or el.tag == tag:
            return (el.text or "").strip()
    return ""


def _custom(data: bytes) -> dict[str, str]:
    """The workbook's ``gxdesk.*`` custom properties, read as the merge reads them."""
    from gxdesk.exchange.workbook_reader import custom_properties

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read("docProps/custom.xml")
    except (KeyError, zipfile.BadZipFile, OSError):  # no custom properties
        return {}
    return custom_properties(xml)


_AS_OF = re.compile(r"截至[:：]\s*(\d{4})年(\d{1,2})月(\d{1,2})日")
_LEAD_OFFICE = re.compile(r"牵头单位[:：]\s*(.+)$")


def _as_of(pairs: Mapping[str, object], grid: Grid, meta: ExportMeta) -> dt.date:
    try:
        return dt.date.fromisoformat(str(pairs.get("as_of")))
    except ValueError:
        pass
    for row in grid[:5]:
        for value in row:
            m = _AS_OF.search(value) if isinstance(value, str) else None
            if m:
                try:
                    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    break
    return meta.exported_at.date()


def read_unit_copy(path: str | os.PathLike[str]) -> UnitCopy:
    """Read a unit's workbook for filling in; :class:`UnitCopyError` when it is not one."""
    import python_calamine as pc

    from gxdesk.exchange.safety import BadFileError
    from gxdesk.exchange.unit_workbook import GUIDE_SHEET, META_SHEET
    from gxdesk.exchange.workbook_reader import find_header, read_returned_workbook, sheet_pairs

    path = Path(path)
    try:
        book = read_returned_workbook(path)
        data = path.read_bytes()
    except BadFileError as exc:
        raise UnitCopyError(str(exc)) from exc
    except OSError as exc:
        raise UnitCopyError(f"无法读取文件：{path.name}（{exc.strerror or exc}）") from exc
    if hashlib.sha256(data).hexdigest() != book.sha256:
        raise UnitCopyError("文件在读取过程中被改动，请关闭其他程序后重试")
    if book.meta is None:
        raise UnitCopyError(
            "这不是牵头单位导出的进展表：文件中没有台账的识别信息"
            "（可能内容被复制到了新的工作簿中）。请使用牵头单位发来的原文件。"
        )
    if book.missing_columns:
        raise UnitCopyError("进展表缺少栏目：" + "、".join(book.missing_columns))
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = set(wb.sheet_names)
        grid = wb.get_sheet_by_name(book.sheet).to_python(skip_empty_area=False)
        meta_grid = wb.get_sheet_by_name(META_SHEET).to_python() if META_SHEET in names else []
        guide = wb.get_sheet_by_name(GUIDE_SHEET).to_python() if GUIDE_SHEET in names else []
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError) as exc:
        raise UnitCopyError(f"工作簿内容无法读取（{type(exc).__name__}）") from exc
    pairs = sheet_pairs(meta_grid) if book.meta_source == "sheet" else {}
    if not pairs:
        pairs = dict(_custom(data))
    meta = book.meta
    header = find_header(grid)
    light_col = header[1].get("light") if header else None

    warnings: list[str] = []
    rows: list[CopyRow] = []
    seen: set[int] = set()
    for r in book.rows:
        key = book.keys.get(r.task_id) if r.task_id is not None else None
        if key is None:
            warnings.append(f"第 {r.row} 行没有可识别的任务编号，不属于本表，保存时不保留")
            continue
        if key.task_id in seen:
            warnings.append(f"第 {r.row} 行与上面的行是同一任务（{r.key}），保存时不保留")
            continue
        seen.add(key.task_id)
        rows.append(_copy_row(r, key, grid, light_col, meta.plan_year))
    for task_id in book.keys:
        if task_id not in seen:
            warnings.append(f"任务 T{task_id} 的行已从表中删除，牵头单位将收不到它的进展")
    lead_office = str(pairs.get("lead_office") or "")
    if not lead_office:
        for row in guide[:3]:
            m = _LEAD_OFFICE.search(str(row[0])) if row else None
            if m:
                lead_office = m.group(1).strip()
    return UnitCopy(
        path=path,
        sha256=book.sha256,
        meta=meta,
        meta_source=book.meta_source,
        keys=tuple(book.keys.values()),
        rows=tuple(rows),
        on=_as_of(pairs, grid, meta),
        plan_title=str(pairs.get("plan_title") or _xml_text(data, "docProps/core.xml", "subject")),
        lead_office=lead_office or _DEFAULT_LEAD_OFFICE,
        warnings=tuple(warnings),
    )


def _copy_row(r: ReturnedRow, key: RowKey, grid: Grid, light_col: int | None, year: int) -> CopyRow:
    light = None
    if light_col is not None and r.row - 1 < len(grid) and light_col < len(grid[r.row - 1]):
        light = _LIGHTS.get(read_text(grid[r.row - 1][light_col]).strip())
    cells = {name: value for name, (value, _where) in r.cells.items()}
    lead = dict(zip((f for f, _ in LEAD_COLUMNS), r.lead, strict=True))
    return CopyRow(
        key=key,
        light=light,
        values=values_from_cells(cells, year=year),
        sheet_row=r.row,
        **lead,
    )


# --- writing ------------------------------------------------------------------------


def backup_path(path: str | os.PathLike[str]) -> Path:
    """Where the previous version of a saved copy is kept (``….bak``, not ``*.xls*``).

    Not an .xlsx name on purpose: a folder of returned files handed to the merge
    must not pick up the older version as a second returned file.
    """
    return Path(path).with_suffix(".bak")


def rewrite_unit_workbook(
    copy: UnitCopy,
    dest: str | os.PathLike[str],
    values: Sequence[UnitReport] | None = None,
    *,
    keep_backup: bool = True,
) -> Path:
    """Write ``copy`` to ``dest`` with the unit's ``values`` (one per row, in order).

    Same format and identity as the lead office's export; written to a
    temporary name and renamed; the file it replaces is kept as ``.bak``.
    """
    from gxdesk.core.workbook_data import SheetRow, UnitSheet
    from gxdesk.exchange.unit_workbook import write_unit_workbook

    values = list(values) if values is not None else [r.values for r in copy.rows]
    if len(values) != len(copy.rows):
        raise ValueError("values must give one UnitReport per row")
    rows = []
    for row, v in zip(copy.rows, values, strict=True):
        rows.append(
            SheetRow(
                task_id=row.key.task_id,
                assignment_id=row.key.assignment_id,
                task_version=row.key.task_version,
                assignment_version=row.key.assignment_version,
                seq=row.seq,
                category=row.category,
                name=row.name,
                requirement=row.requirement,
                deadline=row.deadline,
                role=row.role,
                light=row.light or Light.GREEN,
                report=v,
            )
        )
    sheet = UnitSheet(
        meta=copy.meta,
        plan_title=copy.plan_title,
        on=copy.on,
        rows=tuple(rows),
        lead_office=copy.lead_office,
    )
    dest = Path(dest)
    try:
        if keep_backup and dest.exists():
            shutil.copy2(dest, backup_path(dest))
        return write_unit_workbook(sheet, dest, keys=copy.keys)
    except PermissionError as exc:
        raise UnitCopyError(
            f"无法写入 {dest.name}：文件可能正在 Excel 或 WPS 中打开，请关闭后再保存"
        ) from exc
    except OSError as exc:
        raise UnitCopyError(f"无法写入 {dest.name}（{exc.strerror or exc}）") from exc
