"""Writing one unit's progress workbook (.xlsx) for it to fill in Excel or WPS.

openpyxl's write-only mode with styles prepared once and shared between cells
(building a style per cell is what makes openpyxl slow). Every text value is
written as a string cell — never a formula, whatever it starts with — and the
file is written under a temporary name and renamed, so a half-written file never
carries the final name.

The identifying data is kept twice: in a very-hidden sheet and in custom document
properties, because re-saving in WPS or pasting into a new workbook may lose one
of them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell as _new_cell
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from gxdesk.core.model import Light, Status
from gxdesk.core.workbook_data import (
    ALL_COLUMNS,
    FORMAT,
    FORMAT_VERSION,
    LEAD_COLUMNS,
    ExportMeta,
    RowKey,
    SheetRow,
    UnitSheet,
    fit_cell,
    lead_hash,
    task_key,
    unit_hash,
)
from gxdesk.exchange.print_layout import (
    set_landscape_fit_to_width,
    set_row_height,
    wrapped_height,
    wrapped_lines,
)

DATA_SHEET = "进展填报"
GUIDE_SHEET = "填报说明"
META_SHEET = "_gxdesk"
HEADER_ROW = 3  # title, note, header
PROPERTY_PREFIX = "gxdesk."
PROPERTY_CHUNK = 250  # Office keeps custom property text up to 255 characters
PROPERTY_HASH = 10  # characters of each row hash kept in the properties

# Column widths: the fifteen printed columns fit A4 landscape with the body at
# 9 pt or more (see print_layout).
WIDTHS = {
    "seq": 4,
    "category": 8.5,
    "name": 11.5,
    "requirement": 22,
    "deadline": 8.5,
    "role": 6.5,
    "light": 5,
    "status": 8.5,
    "percent": 6,
    "text": 24,
    "done_on": 11,
    "evidence": 9,
    "problems": 9,
    "contact": 7,
    "phone": 11,
    "key": 7,
}


def _row_height(row: SheetRow) -> float:
    return wrapped_height(
        [
            (row.category, WIDTHS["category"]),
            (row.name, WIDTHS["name"]),
            (row.requirement, WIDTHS["requirement"]),
            (row.deadline, WIDTHS["deadline"]),
            (row.role, WIDTHS["role"]),
            (row.report.text, WIDTHS["text"]),
            (row.report.evidence, WIDTHS["evidence"]),
            (row.report.problems, WIDTHS["problems"]),
            (row.report.contact, WIDTHS["contact"]),
            (row.report.phone, WIDTHS["phone"]),
        ],
        min_lines=2,
    )


STATUS_CHOICES = tuple(s.value for s in Status)

LIGHT_FILLS = {Light.RED: "FFC7CE", Light.YELLOW: "FFEB9C", Light.GREEN: "C6EFCE"}
_LIGHT_FONTS = {Light.RED: "9C0006", Light.YELLOW: "7F6000", Light.GREEN: "006100"}
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Text that looks like an OOXML escape (_x0041_) is itself escaped, as Excel does,
# or readers would turn it into the character it names.
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def safe_text(value: str) -> str:
    """Text as it must be stored in a cell to be read back unchanged — and as Excel
    can open it: every text cell the program writes passes here, so none is over
    Excel's cell limit (:func:`fit_cell`)."""
    value = fit_cell(_ILLEGAL.sub("", value))
    if "_x" in value:
        value = _OOXML_ESCAPE.sub(r"_x005F_\1", value)
    return value


_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def workbook_file_name(year: int, unit: str, on: dt.date) -> str:
    """``2014年政务公开工作进展_市财政局_2014-09.xlsx``."""
    safe = _FILE_UNSAFE.sub("_", unit).strip("._") or "单位"
    return f"{year}年政务公开工作进展_{safe}_{on:%Y-%m}.xlsx"


# openpyxl's write-only cell. The writer sets its private ``_value`` and ``_style``
# directly (one shared style object per kind of cell, a text value never taken for
# a formula), which the stubs do not know: the cell is typed as Any in this one alias.
WriteOnlyCell = Any


class SheetStyles:
    """Every cell style of the workbook, built once; cells share the style arrays."""

    def __init__(self, ws: Any) -> None:
        thin = Side(style="thin", color="A6A6A6")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        font = Font(name="宋体", size=10)
        wrap = Alignment(wrap_text=True, vertical="top")
        center = Alignment(horizontal="center", vertical="top", wrap_text=True)
        locked = Protection(locked=True)
        unlocked = Protection(locked=False)
        grey = PatternFill("solid", fgColor="F2F2F2")
        self.ws = ws

        def make(**kw: object) -> object:
            cell: Any = _new_cell(ws, None)
            for k, v in kw.items():
                setattr(cell, k, v)
            return cell._style

        self.title = make(font=Font(name="黑体", size=14, bold=True))
        self.note = make(font=Font(name="宋体", size=10, color="595959"), alignment=wrap)
        head_font = Font(name="黑体", size=10, bold=True)
        head_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.head_lead = make(
            font=head_font,
            fill=PatternFill("solid", fgColor="D9D9D9"),
            border=border,
            alignment=head_align,
        )
        self.head_unit = make(
            font=head_font,
            fill=PatternFill("solid", fgColor="FFE699"),
            border=border,
            alignment=head_align,
        )
        self.lead = make(font=font, fill=grey, border=border, alignment=wrap, protection=locked)
        self.lead_center = make(
            font=font, fill=grey, border=border, alignment=center, protection=locked
        )
        self.key = make(
            font=Font(name="宋体", size=8, color="808080"),
            fill=grey,
            border=border,
            alignment=center,
            protection=locked,
            number_format="@",
        )
        self.light = {
            light: make(
                font=Font(name="宋体", size=10, bold=True, color=_LIGHT_FONTS[light]),
                fill=PatternFill("solid", fgColor=LIGHT_FILLS[light]),
                border=border,
                alignment=center,
                protection=locked,
            )
            for light in Light
        }
        self.unit_text = make(
            font=font, border=border, alignment=wrap, protection=unlocked, number_format="@"
        )
        self.unit_center = make(
            font=font, border=border, alignment=center, protection=unlocked, number_format="@"
        )
        self.unit_percent = make(
            font=font, border=border, alignment=center, protection=unlocked, number_format="0%"
        )
        self.guide = make(font=Font(name="宋体", size=11), alignment=wrap)
        self.guide_head = make(font=Font(name="黑体", size=12, bold=True), alignment=wrap)
        self.unit_date = make(
            font=font,
            border=border,
            alignment=center,
            protection=unlocked,
            number_format="yyyy-mm-dd",
        )

    def cell(self, value: object, style: object) -> WriteOnlyCell:
        cell: WriteOnlyCell = _new_cell(self.ws, None)
        if isinstance(value, str):
            cell._value = safe_text(value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
        elif value is not None:
            cell.value = value
        if style is not None:
            cell._style = style
        return cell


def _unit_cells(st: SheetStyles, values: tuple[object, ...]) -> list[WriteOnlyCell]:
    styles = (
        st.unit_center,
        st.unit_percent,
        st.unit_text,
        st.unit_date,
        st.unit_text,
        st.unit_text,
        st.unit_center,
        st.unit_center,
    )
    return [st.cell(v, s) for v, s in zip(values, styles, strict=True)]


def _cells_to_row(cells: list[WriteOnlyCell | None], row_idx: int) -> Iterable[WriteOnlyCell]:
    for col_idx, cell in enumerate(cells, 1):
        if cell is not None:
            cell.column = col_idx
            cell.row = row_idx
            yield cell


def create_sheet(wb: Workbook, title: str) -> Any:
    """A write-only sheet whose rows are lists of ready cells.

    openpyxl's own row conversion tries ``cell.value = cell`` and catches the
    ValueError for every prepared cell (a third of the writing time); every row
    here is already made of cells, so they are passed straight on.
    """
    ws = wb.create_sheet(title)
    ws._values_to_row = _cells_to_row
    return ws


def _write_data_sheet(wb: Workbook, sheet: UnitSheet) -> None:
    ws = create_sheet(wb, DATA_SHEET)
    st = SheetStyles(ws)
    meta = sheet.meta
    n_cols = len(ALL_COLUMNS)
    last_visible = get_column_letter(n_cols - 1)  # the key column is not printed
    first_unit_col = len(LEAD_COLUMNS) + 2
    first = HEADER_ROW + 1
    last = HEADER_ROW + max(len(sheet.rows), 1)

    for i, (name, _header) in enumerate(ALL_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS[name]
    ws.freeze_panes = f"C{first}"
    set_landscape_fit_to_width(ws, f"A1:{last_visible}{last}", f"{HEADER_ROW}:{HEADER_ROW}")
    ws.oddHeader.right.text = f"{meta.unit_name}  {sheet.on:%Y-%m-%d}"
    ws.oddHeader.right.size = 10
    ws.protection.sheet = True  # no password: it only guards against slips
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.formatCells = False
    ws.merged_cells.add(f"A1:{last_visible}1")
    ws.merged_cells.add(f"A2:{last_visible}2")

    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_CHOICES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="进展状态",
        error="请从下拉列表中选择：" + "、".join(STATUS_CHOICES),
        promptTitle="进展状态",
        prompt="请从下拉列表中选择",
        showInputMessage=True,
    )
    status_col = get_column_letter(first_unit_col)
    dv.add(f"{status_col}{first}:{status_col}{last}")
    ws.data_validations.append(dv)
    percent_col = get_column_letter(first_unit_col + 1)
    dv_pct = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="1",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="完成进度",
        error="完成进度应在 0% 到 100% 之间，如 50%",
    )
    dv_pct.add(f"{percent_col}{first}:{percent_col}{last}")
    ws.data_validations.append(dv_pct)

    visible_widths = [WIDTHS[name] for name, _h in ALL_COLUMNS[:-1]]
    note = (
        f"填报单位：{meta.unit_name}    截至：{sheet.on:%Y年%m月%d日}    "
        "灰色栏目由牵头单位维护，请勿修改；请填写白色栏目（进展状态至联系电话）。"
        "预警：红灯＝已逾期未完成，黄灯＝即将到期，绿灯＝正常。详见“填报说明”。"
    )
    set_row_height(ws, 1, 24)
    set_row_height(ws, 2, wrapped_height([(note, sum(visible_widths))]))
    set_row_height(
        ws,
        HEADER_ROW,
        wrapped_height(zip([h for _n, h in ALL_COLUMNS[:-1]], visible_widths, strict=True)),
    )
    ws.append([st.cell(f"{meta.plan_year}年政务公开工作进展表（{meta.unit_name}）", st.title)])
    ws.append([st.cell(note, st.note)])
    header = []
    for i, (_name, text) in enumerate(ALL_COLUMNS, 1):
        header.append(st.cell(text, st.head_unit if i >= first_unit_col else st.head_lead))
    ws.append(header)

    lead, center, light = st.lead, st.lead_center, st.light
    cell = st.cell
    for n, row in enumerate(sheet.rows):
        i = first + n
        set_row_height(ws, i, _row_height(row))
        ws.append(
            [
                cell(int(row.seq) if row.seq.isdigit() else row.seq, center),
                cell(row.category, lead),
                cell(row.name, lead),
                cell(row.requirement, lead),
                cell(row.deadline, center),
                cell(row.role, center),
                cell(row.light.label, light[row.light]),
                *_unit_cells(st, row.report.cells()),
                cell(task_key(row.task_id), st.key),
            ]
        )


GUIDE = (
    ("一、这是什么", None),
    (
        "本表由牵头单位用“政务公开工作台账”导出，列出本单位负责（牵头、配合或作为成员单位）的"
        "各项工作任务。请填写进展后，原文件通过邮件发回牵头单位。",
        None,
    ),
    ("二、请填写哪些栏目", None),
    (
        "白色栏目：进展状态、完成进度%、进展情况、完成时间、佐证材料、存在问题、联系人、联系电话。",
        None,
    ),
    (
        "灰色栏目（序号、类别、工作任务、工作要求、完成时限、责任分工、预警、任务编号）由牵头单位维护，请勿修改，修改后该行将不被采用。",
        None,
    ),
    ("表中已填入本单位上次报送的内容，只需修改有变化的地方。", None),
    ("三、怎么填", None),
    ("进展状态：从下拉列表中选择 未启动、推进中、已完成、长期推进、暂缓 之一。", None),
    ("完成进度%：填写百分数，如 50%。", None),
    ("完成时间：已完成的填写完成日期，如 2014-09-30 或 2014年9月30日。", None),
    ("联系电话：按文本填写，区号前的 0 会保留。", None),
    ("四、注意事项", None),
    (
        "可以调整行高、列宽，可以排序或筛选；请不要删除“任务编号”一栏，也不要把内容复制到新的工作簿中填写。",
        None,
    ),
    ("本表设有工作表保护（无密码），仅为防止误改灰色栏目。", None),
    ("预警颜色按导出当日计算：红灯＝已逾期且未完成，黄灯＝即将到期，绿灯＝正常。", None),
)


def _write_guide(wb: Workbook, sheet: UnitSheet) -> None:
    ws = create_sheet(wb, GUIDE_SHEET)
    st = SheetStyles(ws)
    width = 62
    ws.column_dimensions["A"].width = width
    body = st.guide
    head = st.guide_head
    lines = [
        (f"{sheet.meta.plan_year}年政务公开工作进展表 填报说明", st.title),
        (f"填报单位：{sheet.meta.unit_name}；牵头单位：{sheet.lead_office}", body),
        *((text, head if text[1] == "、" else body) for text, _ in GUIDE),
    ]
    for i, (text, style) in enumerate(lines, 1):
        # 11-point text: a character takes 11/10 of what wrapped_lines counts
        set_row_height(ws, i, wrapped_lines(text, width * 10 / 11) * 15 + 6)
        ws.append([st.cell(text, style)])
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def meta_pairs(meta: ExportMeta) -> list[tuple[str, str | int]]:
    return [
        ("format", FORMAT),
        ("format_version", FORMAT_VERSION),
        ("plan_id", meta.plan_id),
        ("plan_revision", meta.plan_revision),
        ("plan_year", meta.plan_year),
        ("unit_id", meta.unit_id),
        ("unit_name", meta.unit_name),
        ("export_id", meta.export_id),
        ("exported_at", meta.exported_at.isoformat(timespec="seconds")),
    ]


META_ROWS_HEADER = (
    "task_id",
    "assignment_id",
    "task_version",
    "assignment_version",
    "lead_hash",
    "unit_hash",
)


def _row_keys(sheet: UnitSheet) -> Iterable[tuple[int, int, int, int, str, str]]:
    for r in sheet.rows:
        # hashed as written: a text over the cell limit goes out cut (safe_text)
        yield (
            r.task_id,
            r.assignment_id,
            r.task_version,
            r.assignment_version,
            lead_hash([fit_cell(v) for v in r.lead_values()]),
            unit_hash([fit_cell(v) for v in r.report.as_text()]),
        )


def sheet_pairs(sheet: UnitSheet) -> list[tuple[str, str | int]]:
    """The identity plus what a unit's own gxdesk needs to write the file again."""
    return [
        *meta_pairs(sheet.meta),
        ("as_of", sheet.on.isoformat()),
        ("lead_office", sheet.lead_office[:PROPERTY_CHUNK]),
        ("plan_title", sheet.plan_title[:PROPERTY_CHUNK]),
    ]


def _write_meta_sheet(wb: Workbook, sheet: UnitSheet, keys: list[tuple[Any, ...]]) -> None:
    ws = create_sheet(wb, META_SHEET)
    ws.sheet_state = "veryHidden"
    st = SheetStyles(ws)
    for name, value in sheet_pairs(sheet):
        ws.append([st.cell(name, None), st.cell(value, None)])
    ws.append([])
    ws.append([st.cell(h, None) for h in META_ROWS_HEADER])
    for k in keys:
        ws.append([st.cell(v, None) for v in k])


def _write_properties(wb: Workbook, sheet: UnitSheet, keys: list[tuple[Any, ...]]) -> None:
    props = wb.custom_doc_props  # type: ignore[attr-defined]  # openpyxl ≥ 3.1 has it; the stubs lag
    for name, value in sheet_pairs(sheet):
        if isinstance(value, int):
            props.append(IntProperty(name=PROPERTY_PREFIX + name, value=value))
        else:
            props.append(StringProperty(name=PROPERTY_PREFIX + name, value=value))
    chunks: list[str] = []
    current = ""
    for k in keys:
        item = f"{k[0]},{k[1]},{k[2]},{k[3]},{k[4][:PROPERTY_HASH]},{k[5][:PROPERTY_HASH]};"
        if len(current) + len(item) > PROPERTY_CHUNK:
            chunks.append(current)
            current = ""
        current += item
    if current:
        chunks.append(current)
    props.append(IntProperty(name=PROPERTY_PREFIX + "rows.count", value=len(chunks)))
    for i, chunk in enumerate(chunks, 1):
        props.append(StringProperty(name=f"{PROPERTY_PREFIX}rows.{i:04d}", value=chunk))


def write_unit_workbook(
    sheet: UnitSheet,
    path: str | os.PathLike[str],
    *,
    keys: Sequence[RowKey] | None = None,
) -> Path:
    """Write ``sheet`` to ``path`` (via a temporary file in the same folder).

    A unit's own gxdesk writing its filled-in copy back (:mod:`.unit_copy`)
    passes the ``keys`` the file came with, so the lead office's merge still
    compares against what went out; a value of its rows the readers could not
    read is written as the text the clerk typed (:meth:`UnitReport.cells`).
    """
    path = Path(path)
    wb = Workbook(write_only=True)
    wb.properties.title = f"{sheet.meta.plan_year}年政务公开工作进展（{sheet.meta.unit_name}）"
    wb.properties.creator = "gxdesk 政务公开工作台账"
    wb.properties.subject = sheet.plan_title
    if keys is None:
        row_keys = list(_row_keys(sheet))
    else:
        row_keys = [
            (
                k.task_id,
                k.assignment_id,
                k.task_version,
                k.assignment_version,
                k.lead_hash,
                k.unit_hash,
            )
            for k in keys
        ]
    _write_data_sheet(wb, sheet)
    _write_guide(wb, sheet)
    _write_meta_sheet(wb, sheet, row_keys)
    _write_properties(wb, sheet, row_keys)
    return save_atomically(wb, path)


def save_atomically(wb: Workbook, path: Path) -> Path:
    """Save under a temporary name beside ``path``, then rename: a crash or a full
    disk never leaves a half-written workbook where the clerk expects one.

    The workbook is built in memory and only its bytes go to the disk: a disk
    that fills up fails one plain write (one clear error), not openpyxl's
    streaming writers halfway, whose generators then complain at exit.
    """
    import io

    buffer = io.BytesIO()
    wb.save(buffer)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.part.xlsx")
    try:
        with open(tmp, "wb") as f:
            f.write(buffer.getbuffer())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
