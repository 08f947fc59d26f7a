"""Fast untrusted-workbook checks for returned progress workbooks.

:func:`gxdesk.exchange.safety.check_zip` walks every worksheet element through
lxml, which costs ~2.5× what python-calamine needs to read the whole file; a
merge of dozens of workbooks must stay close to calamine's own time. This module
applies the same rules (the limits of :class:`~gxdesk.exchange.safety.Limits`:
file size, member count and sizes, compression ratio, encrypted members,
DOCTYPE/ENTITY declarations) with the prolog check of ``safety``, and bounds the
worksheets with byte-level scans instead of an XML parser.

It also bounds what ``safety`` does not: the *extent* of a sheet. python-calamine
allocates a dense grid from A1 to the farthest cell, so two cells at A1 and
ZZ1000000 make it reserve hundreds of millions of cells (measured: 22 GB). The
largest row and column any cell, row or merged area names must stay within
``max_rows`` × ``max_cols``.
"""

from __future__ import annotations

import io
import re
import zipfile

from gxdesk.exchange.safety import (
    RATIO_FLOOR_BYTES,
    BadFileError,
    Limits,
    _check_xml_prolog,
    _size_text,
)

_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=\"\$?([A-Za-z]{1,3})\$?(\d{1,9})\"")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ROW_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br=\"(\d{1,9})\"")
_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref=\"([^\"]{1,40})\"")
_RANGE = re.compile(rb"^\$?([A-Za-z]{1,3})\$?(\d{1,9})(?::\$?([A-Za-z]{1,3})\$?(\d{1,9}))?$")


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _too_far(limits: Limits) -> BadFileError:
    return BadFileError(
        f"工作表范围过大（超过 {limits.max_rows} 行或 {limits.max_cols} 列），不像是工作进展表"
    )


_PLAIN_REF = re.compile(rb' r="([A-Za-z]{1,3})(\d{1,9})"')
_PREFIXED = (b":c ", b":c>", b":c/", b":row", b":mergeCell")


_FAR: dict[tuple[int, int], re.Pattern[bytes]] = {}


def _far_refs(limits: Limits) -> re.Pattern[bytes]:
    """A pattern that finds every address that *might* lie beyond the limits.

    Matching rarely, it lets the engine scan without building a match per cell;
    whatever it finds is then measured exactly.
    """
    key = (limits.max_rows, limits.max_cols)
    if key not in _FAR:
        letters = 0
        n = limits.max_cols
        while n:
            n, _ = divmod(n - 1, 26)
            letters += 1
        digits = len(str(limits.max_rows))
        _FAR[key] = re.compile(
            rb' r="(?:[A-Za-z]{%d,}\d|[A-Za-z]{1,3}\d{%d,})' % (max(letters, 1), digits)
        )
    return _FAR[key]


def _extent(letters: set[bytes], numbers: set[bytes]) -> tuple[int, int]:
    return (
        max((int(n) for n in numbers), default=0),
        max((_col(c) for c in letters), default=0),
    )


def scan_sheet(xml: bytes, limits: Limits) -> int:
    """Bound one worksheet part (cells, rows, extent); returns its cell count.

    The usual file (no namespace prefixes on cells) is measured with substring
    counts and one regular expression; anything else takes the general path.
    """
    if any(p in xml for p in _PREFIXED):
        return _scan_general(xml, limits)
    cells = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/")
    rows = xml.count(b"<row ") + xml.count(b"<row>") + xml.count(b"<row/")
    _check_counts(cells, rows, limits)
    max_row, max_col = rows, 0
    far = _far_refs(limits)
    if far.search(xml):  # rare: only then look at every address
        refs = _PLAIN_REF.findall(xml)
        max_row, max_col = _extent({c for c, _ in refs}, {n for _, n in refs})
        max_row = max(max_row, rows)
    addressed = xml.count(b' r="')
    if addressed < cells + rows:  # cells without an address: as wide as the widest row
        for chunk in xml.split(b"<row"):
            max_col = max(max_col, chunk.count(b"<c ") + chunk.count(b"<c>") + chunk.count(b"<c/"))
    area = 0
    if b"<mergeCell" in xml:
        area, max_row, max_col = _merges(xml, max_row, max_col)
    if max_row > limits.max_rows or max_col > limits.max_cols:
        raise _too_far(limits)
    return cells + area


def _check_counts(cells: int, rows: int, limits: Limits) -> None:
    if rows > limits.max_rows:
        raise BadFileError(f"工作表行数过多（超过 {limits.max_rows} 行），不像是工作进展表")
    if cells > limits.max_cells:
        raise BadFileError(f"工作表单元格过多（超过 {limits.max_cells} 个），不像是工作进展表")


def _merges(xml: bytes, max_row: int, max_col: int) -> tuple[int, int, int]:
    area = 0
    for ref in _MERGE.findall(xml):
        m = _RANGE.match(ref.strip())
        if not m:
            raise BadFileError(f"工作表中合并单元格的区域无效（{ref[:40].decode('latin-1')}）")
        c1, r1 = _col(m.group(1)), int(m.group(2))
        c2, r2 = (_col(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
        max_row, max_col = max(max_row, r1, r2), max(max_col, c1, c2)
        area += (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
    return area, max_row, max_col


def _scan_general(xml: bytes, limits: Limits) -> int:
    cells = len(_CELL.findall(xml))
    rows = len(_ROW.findall(xml))
    _check_counts(cells, rows, limits)
    refs = _CELL_REF.findall(xml)
    max_row, max_col = _extent({c for c, _ in refs}, {n for _, n in refs})
    max_row = max(max_row, rows, *(int(r) for r in _ROW_REF.findall(xml)))
    if len(refs) < cells:
        for chunk in _ROW.split(xml):
            max_col = max(max_col, len(_CELL.findall(chunk)))
    area, max_row, max_col = _merges(xml, max_row, max_col)
    if max_row > limits.max_rows or max_col > limits.max_cols:
        raise _too_far(limits)
    return cells + area


def check_workbook_bytes(data: bytes, limits: Limits) -> None:
    """All the container rules for an .xlsx held in memory; BadFileError if any fails."""
    if not data:
        raise BadFileError("文件为空（0 字节）")
    if len(data) > limits.max_file_bytes:
        raise BadFileError(
            f"文件过大（{_size_text(len(data))}），超过上限 {_size_text(limits.max_file_bytes)}"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_members:
                raise BadFileError(
                    f"压缩包内文件数过多（{len(infos)} 个，上限 {limits.max_members}）"
                )
            total = 0
            for info in infos:
                if info.flag_bits & 0x1:
                    raise BadFileError("文件内容经过加密，无法读取，请取消密码后另存再导入")
                size = info.file_size
                if size > limits.max_member_bytes:
                    raise BadFileError(
                        f"文件内部部件过大（{info.filename}：{_size_text(size)}），疑似压缩炸弹，已拒绝"
                    )
                total += size
                if total > limits.max_uncompressed_bytes:
                    raise BadFileError(
                        f"文件解压后总大小超过上限 {_size_text(limits.max_uncompressed_bytes)}，"
                        "疑似压缩炸弹，已拒绝"
                    )
                if size > RATIO_FLOOR_BYTES and size > limits.max_ratio * max(
                    info.compress_size, 1
                ):
                    raise BadFileError(
                        f"文件内部部件压缩比异常（{info.filename}：{_size_text(size)}），"
                        "疑似压缩炸弹，已拒绝"
                    )
            cells = 0
            for info in infos:
                if info.is_dir() or not _check_xml_prolog(zf, info):
                    continue
                lower = info.filename.lower()
                if lower.startswith(("docprops/", "[content_types]", "_rels/")) or lower.endswith(
                    (".rels", "styles.xml", "theme1.xml", "sharedstrings.xml", "workbook.xml")
                ):
                    continue
                cells += scan_sheet(zf.read(info), limits)
                if cells > limits.max_cells:
                    raise BadFileError(
                        f"工作表单元格过多（超过 {limits.max_cells} 个），不像是工作进展表"
                    )
    except BadFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise BadFileError(
            "文件不是有效的 Office 文档（ZIP 结构损坏）：可能已损坏或被截断"
        ) from exc
    except NotImplementedError as exc:
        raise BadFileError("文件使用了不支持的压缩方式，请用 Excel 重新保存") from exc
