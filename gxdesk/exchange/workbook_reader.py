"""Reading a returned progress workbook, fast, as untrusted input.

Three stages, so that python-calamine's parsing of some files runs on other
cores beside the Python work on others (``ops.exchange.iter_workbooks``):

1. :func:`check_returned_file` reads the file once into memory and checks it in
   one pass with :func:`gxdesk.exchange.safety.check_package` (what it is,
   sizes, ratios, entities, the cells of every sheet) — Python, holding the GIL;
2. only then :func:`parse_sheets` hands it to python-calamine, which reads
   values about 8× faster than openpyxl and releases the GIL while it parses
   (the sha256 is taken here too: hashlib releases it as well);
3. :func:`returned_workbook` turns the grids into the file's identity and rows —
   Python again.

The custom document properties are a small XML part, taken from what the check
already decompressed and read with defusedxml, only when the very-hidden sheet
is gone. Nothing here interprets values (that is :mod:`gxdesk.core.values`) or
looks at the database (that is :mod:`gxdesk.store.merge`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import python_calamine as pc
from defusedxml import ElementTree

from gxdesk.core.values import read_text
from gxdesk.core.workbook_data import (
    FORMAT,
    HEADER_FIELDS,
    LEAD_COLUMNS,
    UNIT_COLUMNS,
    UNIT_FIELDS,
    ExportMeta,
    ReturnedRow,
    ReturnedWorkbook,
    RowKey,
    header_key,
    parse_task_key,
)
from gxdesk.exchange.safety import (
    DEFAULT_LIMITS,
    ZIP_MAGICS,
    BadFileError,
    Limits,
    check_package,
    size_text,
    sniff_bytes,
)
from gxdesk.exchange.unit_workbook import META_SHEET, PROPERTY_PREFIX

HEADER_SCAN_ROWS = 30
# a sheet's cells as python-calamine gives them (str, float, bool, date, time, …;
# untrusted: each is looked at by type where it is read)
Grid = list[list[Any]]
_LEAD_FIELDS = tuple(f for f, _ in LEAD_COLUMNS)


def is_owner_file(path: str | os.PathLike[str]) -> bool:
    """Excel/WPS owner (lock) files such as ``~$进展.xlsx`` are not workbooks."""
    name = Path(path).name
    return name.startswith(("~$", ".~lock."))


def column_letter(index: int) -> str:
    """0-based column index → ``A``, ``B``, … ``AA``."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _int(value: object) -> int | None:
    """A whole number from a cell or property text; None for anything else.

    A float comes first: the reader gives every number cell as one.
    """
    if type(value) is float:
        return int(value) if value.is_integer() else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _meta_from_pairs(pairs: dict[str, object]) -> ExportMeta | None:
    if pairs.get("format") != FORMAT:
        return None
    try:
        exported = dt.datetime.fromisoformat(str(pairs.get("exported_at")))
    except ValueError:
        return None
    plan_id, revision, year, unit_id = (
        _int(pairs.get(k)) for k in ("plan_id", "plan_revision", "plan_year", "unit_id")
    )
    if plan_id is None or revision is None or year is None or unit_id is None:
        return None
    if not pairs.get("export_id"):
        return None
    return ExportMeta(
        plan_id=plan_id,
        plan_revision=revision,
        plan_year=year,
        unit_id=unit_id,
        unit_name=str(pairs.get("unit_name") or ""),
        export_id=str(pairs["export_id"]),
        exported_at=exported,
    )


def sheet_pairs(grid: Grid) -> dict[str, object]:
    """The name → value pairs of the identity sheet, down to its table of row keys."""
    return _pairs(iter(grid))


def _pairs(rows: Iterator[list[object]]) -> dict[str, object]:
    """Reads pairs from ``rows`` and stops after the row-key table's header row."""
    pairs: dict[str, object] = {}
    for row in rows:
        if len(row) < 2:
            continue
        if row[0] == "task_id":
            break
        if isinstance(row[0], str) and row[0]:
            pairs[row[0]] = row[1]
    return pairs


def _row_key(
    task: object, assignment: object, task_v: object, assignment_v: object, lead: str, unit: str
) -> RowKey | None:
    """A row key from four whole numbers and two hashes; None if a number is not one."""
    t, a, tv, av = _int(task), _int(assignment), _int(task_v), _int(assignment_v)
    if t is None or a is None or tv is None or av is None:
        return None
    return RowKey(t, a, tv, av, lead, unit)


def _meta_from_sheet(grid: Grid) -> tuple[ExportMeta | None, dict[int, RowKey]]:
    keys: dict[int, RowKey] = {}
    rows = iter(grid)
    pairs = _pairs(rows)
    for row in rows:
        if len(row) < 6:
            continue
        t, a, tv, av = row[0], row[1], row[2], row[3]
        # the reader gives every number as a float: four whole floats is the usual row
        if (
            type(t) is float
            and type(a) is float
            and type(tv) is float
            and type(av) is float
            and t.is_integer()
            and a.is_integer()
            and tv.is_integer()
            and av.is_integer()
        ):
            task_id = int(t)
            keys[task_id] = RowKey(task_id, int(a), int(tv), int(av), str(row[4]), str(row[5]))
            continue
        key = _row_key(t, a, tv, av, str(row[4]), str(row[5]))
        if key is not None:
            keys[key.task_id] = key
    return _meta_from_pairs(pairs), keys


def custom_properties(xml: bytes | None) -> dict[str, str]:
    """The ``gxdesk.*`` custom document properties (docProps/custom.xml), prefix removed;
    {} when the part is absent or broken (it is optional)."""
    if not xml:
        return {}
    try:
        root = ElementTree.fromstring(xml)
    except Exception:  # a broken optional part: treated as absent
        return {}
    found = {}
    for prop in root:
        name = prop.get("name") or ""
        if name.startswith(PROPERTY_PREFIX) and len(prop):
            found[name[len(PROPERTY_PREFIX) :]] = (prop[0].text or "").strip()
    return found


_MODIFIED = "{http://purl.org/dc/terms/}modified"


def saved_at(xml: bytes | None) -> dt.datetime | None:
    """When the file was last saved, by the workbook's own clock (docProps/core.xml
    ``dcterms:modified``, as Excel, WPS and LibreOffice write it), in UTC without a
    zone; None when absent or unreadable. The file system's time is not used: mail
    and copying change it."""
    if not xml:
        return None
    try:
        found = ElementTree.fromstring(xml).find(_MODIFIED)
        text = (found.text or "").strip() if found is not None else ""
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except Exception:  # a broken optional part: treated as absent
        return None
    if when is not None and when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when


def _meta_from_properties(props: dict[str, str]) -> tuple[ExportMeta | None, dict[int, RowKey]]:
    meta = _meta_from_pairs(dict(props))
    keys: dict[int, RowKey] = {}
    if meta is None:
        return None, keys
    count = _int(props.get("rows.count")) or 0
    for i in range(1, count + 1):
        for item in props.get(f"rows.{i:04d}", "").split(";"):
            parts = item.split(",")
            if len(parts) != 6:
                continue
            key = _row_key(*parts)
            if key is not None:
                keys[key.task_id] = key
    return meta, keys


def find_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """The progress table's header row and field → column, in the first
    :data:`HEADER_SCAN_ROWS` rows: the first row naming 工作任务 and 进展状态 among at
    least four known columns (a legend or note row naming only those two is not it)."""
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        fields: dict[str, int] = {}
        for c, value in enumerate(row):
            if isinstance(value, str) and value:
                f = HEADER_FIELDS.get(header_key(value))
                if f and f not in fields:
                    fields[f] = c
        if "name" in fields and "status" in fields and len(fields) >= 4:
            return r, fields
    return None


_TITLE_UNIT = re.compile(r"[（(]([^（）()]{2,40})[）)]")


def _unit_hint(grid: Grid, header_row: int, file_name: str) -> str:
    for row in grid[:header_row]:
        for value in row:
            if isinstance(value, str):
                m = re.search(r"填报单位[:：]\s*(\S+)", value) or _TITLE_UNIT.search(value)
                if m:
                    return m.group(1)
    m = re.search(r"_([^_]+)_\d{4}-\d{2}", file_name)
    return m.group(1) if m else ""


def _read_file(path: Path, limits: Limits) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        raise BadFileError(f"文件不存在：{path.name}") from None
    except OSError as exc:
        raise BadFileError(f"无法读取文件：{path.name}（{exc.strerror or exc}）") from None
    if len(data) > limits.max_file_bytes:
        raise BadFileError(f"文件过大，超过上限 {size_text(limits.max_file_bytes)}")
    return data


@dataclass(frozen=True)
class CheckedFile:
    """A returned file read into memory that passed every safety rule."""

    path: Path
    data: bytes
    custom_xml: bytes | None  # docProps/custom.xml, as the check decompressed it
    core_xml: bytes | None = None  # docProps/core.xml: when the unit saved the file


@dataclass(frozen=True)
class SheetGrids:
    """What python-calamine read from a checked file: the cells, not yet interpreted."""

    sha256: str
    meta_grid: Grid | None  # the very-hidden identity sheet, if present
    sheet: str
    grid: Grid
    header: tuple[int, dict[str, int]]


def check_returned_file(
    path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS
) -> CheckedFile:
    """Stage 1 (holds the GIL): read the file and apply every rule of :func:`check_package`."""
    path = Path(path)
    data = _read_file(path, limits)
    if not data.startswith(ZIP_MAGICS):
        sniff_bytes(data, path.name)  # the reason for an old, encrypted or empty file
        raise BadFileError("不是 Excel 工作簿（.xlsx）")
    package = check_package(data, limits)
    if package.kind == "xlsm":
        raise BadFileError("含宏的工作簿（.xlsm）不予导入，请在 Excel 中另存为 .xlsx 后再发回")
    if package.kind != "xlsx":
        raise BadFileError("不是 Excel 工作簿（.xlsx）")
    return CheckedFile(
        path, data, package.parts.get("docProps/custom.xml"), package.parts.get("docProps/core.xml")
    )


def parse_sheets(checked: CheckedFile) -> SheetGrids:
    """Stage 2 (mostly without the GIL): python-calamine reads the identity sheet and the
    first sheet (visible ones first) whose header names the progress columns."""
    sha = hashlib.sha256(checked.data).hexdigest()  # hashlib releases the GIL too
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(checked.data))
        sheets = wb.sheets_metadata
        meta_grid = None
        for s in sheets:
            if s.name == META_SHEET:
                meta_grid = wb.get_sheet_by_name(s.name).to_python()
                break
        visible = pc.SheetVisibleEnum.Visible
        ordered = [s for s in sheets if s.name != META_SHEET]
        ordered.sort(key=lambda s: s.visible != visible)
        for s in ordered:
            grid = wb.get_sheet_by_name(s.name).to_python(skip_empty_area=False)
            header = find_header(grid)
            if header:
                return SheetGrids(sha, meta_grid, s.name, grid, header)
    except Exception as exc:  # calamine's own errors (their names vary by version)
        raise _unreadable(exc) from exc
    except BaseException as exc:
        # a panic inside the Rust reader arrives as pyo3's PanicException, which is
        # not an Exception: one file must not end the reading of the others
        if type(exc).__name__ != "PanicException":
            raise
        raise _unreadable(exc) from exc
    raise BadFileError("找不到进展表：没有一张工作表的表头含有“工作任务”和“进展状态”等栏目")


def _unreadable(exc: BaseException) -> BadFileError:
    return BadFileError(f"工作簿内容无法读取（{type(exc).__name__}）：文件可能已损坏")


def returned_workbook(checked: CheckedFile, grids: SheetGrids) -> ReturnedWorkbook:
    """Stage 3 (holds the GIL): the file's identity and rows from what stage 2 read."""
    meta: ExportMeta | None = None
    keys: dict[int, RowKey] = {}
    source = ""
    if grids.meta_grid is not None:
        meta, keys = _meta_from_sheet(grids.meta_grid)
        source = "sheet" if meta else ""
    if meta is None:
        meta, keys = _meta_from_properties(custom_properties(checked.custom_xml))
        source = "properties" if meta else ""
    header_row, fields = grids.header
    missing = tuple(h for f, h in UNIT_COLUMNS if f not in fields)
    return ReturnedWorkbook(
        file_name=checked.path.name,
        sha256=grids.sha256,
        sheet=grids.sheet,
        meta=meta,
        meta_source=source,
        keys=keys,
        rows=tuple(_rows(grids.grid, header_row, fields)),
        missing_columns=missing,
        unit_hint="" if meta else _unit_hint(grids.grid, header_row, checked.path.name),
        saved_at=saved_at(checked.core_xml),
    )


def read_returned_workbook(
    path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS
) -> ReturnedWorkbook:
    """Read a returned workbook; BadFileError (one Chinese line) when it cannot be used.

    The three stages one after the other; ``ops.exchange.iter_workbooks`` runs
    stage 2 of some files on other threads while this thread works on others.
    """
    checked = check_returned_file(path, limits)
    return returned_workbook(checked, parse_sheets(checked))


def _rows(grid: Grid, header_row: int, fields: dict[str, int]) -> list[ReturnedRow]:
    lead_cols = [fields.get(f) for f in _LEAD_FIELDS]
    unit_cols = [fields.get(f) for f in UNIT_FIELDS]
    key_col = fields.get("key")
    letters = tuple("" if c is None else column_letter(c) for c in unit_cols)
    wanted = [c for c in (*lead_cols, key_col, *unit_cols) if c is not None]
    width_needed = max(wanted) + 1
    # a missing column reads the None appended to every row below (index -1)
    lead_of = itemgetter(*[-1 if c is None else c for c in lead_cols])
    unit_of = itemgetter(*[-1 if c is None else c for c in unit_cols])
    key_of = itemgetter(-1 if key_col is None else key_col)
    blank = ("", None)
    out = []
    for r in range(header_row + 1, len(grid)):
        row = grid[r]
        if len(row) < width_needed:  # a short row (only when skip_empty_area trims)
            row = [*row, *([None] * (width_needed - len(row)))]
        for c in wanted:
            if row[c] not in blank:
                break
        else:
            continue  # a blank (e.g. inserted) row
        row.append(None)  # what a missing column reads (the grid is ours to change)
        key_value = key_of(row)
        out.append(
            ReturnedRow(
                r + 1,
                read_text(key_value),
                parse_task_key(key_value),
                # read_text() settles a non-blank str as itself: spare most calls
                tuple(
                    [
                        v if type(v) is str and not v.isspace() else read_text(v)
                        for v in lead_of(row)
                    ]
                ),
                unit_of(row),
                letters,
            )
        )
    return out
