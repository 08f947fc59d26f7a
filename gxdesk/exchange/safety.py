"""Defences for files that arrive by email from other units.

Every plan or progress file is treated as hostile until proven otherwise:

* :func:`sniff` decides what a file *is* from its bytes, never from its name;
* :func:`check_zip` inspects an OOXML container (sizes, compression ratios,
  member count, DOCTYPE/ENTITY declarations) before any parser opens it;
* :func:`harden_xml` verifies at start-up that openpyxl parses with defusedxml;
* :func:`read_text` decodes a text export within the size limits;
* :func:`open_workbook_values` loads a checked workbook (values only, no VBA).

Every refusal is a :class:`BadFileError` carrying a one-line Chinese reason.

Note on declared sizes: :mod:`zipfile` never returns more bytes than a member's
declared ``file_size`` (and checks the CRC at the end), so a member that lies
about its size cannot expand beyond what :func:`check_zip` accepted.
"""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

#: Members smaller than this are never refused for their compression ratio:
#: they cannot be bombs, and tiny repetitive XML compresses very well.
RATIO_FLOOR_BYTES = 1 * MB
#: How far into an XML part the prolog (before the root element) may reach.
XML_PROLOG_BYTES = 64 * 1024


class BadFileError(ValueError):
    """A file refused as input; ``str(err)`` is a one-line Chinese reason."""


@dataclass(frozen=True)
class Limits:
    """Bounds applied to every untrusted file."""

    max_file_bytes: int = 20 * MB
    max_uncompressed_bytes: int = 200 * MB  # all members together
    max_member_bytes: int = 100 * MB
    max_ratio: int = 100  # uncompressed / compressed, per member
    max_members: int = 2000
    max_rows: int = 20000
    max_cols: int = 200
    max_cells: int = 200_000  # <c> elements over all worksheets (openpyxl memory)


DEFAULT_LIMITS = Limits()


def _size_text(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n} 字节"


def _check_size(path: Path, limits: Limits) -> int:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise BadFileError(f"文件不存在：{path.name}") from None
    except OSError as exc:
        raise BadFileError(f"无法读取文件：{path.name}（{exc.strerror or exc}）") from None
    if not path.is_file():
        raise BadFileError(f"不是普通文件：{path.name}")
    if st.st_size == 0:
        raise BadFileError("文件为空（0 字节）")
    if st.st_size > limits.max_file_bytes:
        raise BadFileError(
            f"文件过大（{_size_text(st.st_size)}），超过上限 {_size_text(limits.max_file_bytes)}"
        )
    return st.st_size


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadFileError(f"无法读取文件：{path.name}（{exc.strerror or exc}）") from None


# --- sniffing -------------------------------------------------------------------


def sniff(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> str:
    """Return the kind of file by content.

    One of ``"xlsx"``, ``"xlsm"``, ``"docx"``, ``"docm"`` or ``"text"``; raises
    :class:`BadFileError` for anything else (old binary Office files, encrypted
    OOXML, broken zips, empty files, binary junk, oversized files).
    """
    p = Path(path)
    _check_size(p, limits)
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise BadFileError(f"无法读取文件：{p.name}（{exc.strerror or exc}）") from None
    if head.startswith(OLE2_MAGIC[:4]):
        if head == OLE2_MAGIC and _ole_is_encrypted(_read_bytes(p)):
            raise BadFileError("文件设置了打开密码（加密的 Office 文档），请取消密码后另存再导入")
        raise BadFileError("旧版 .xls/.doc 格式不受支持，请另存为 .xlsx/.docx")
    if head.startswith(ZIP_MAGICS):
        return _sniff_zip(p)
    decode_text(_read_bytes(p), p.name)  # raises for binary junk
    return "text"


def _ole_is_encrypted(data: bytes) -> bool:
    """An encrypted OOXML file is an OLE2 compound file with these streams."""
    names = ("EncryptionInfo", "EncryptedPackage")
    return any(n.encode("utf-16-le") in data for n in names)


def _sniff_zip(p: Path) -> str:
    try:
        with zipfile.ZipFile(p) as zf:
            names = set(zf.namelist())
            if "[Content_Types].xml" not in names:
                raise BadFileError("ZIP 压缩包不是 Word/Excel 文档（缺少 [Content_Types].xml）")
            ctypes = _read_member_head(zf, "[Content_Types].xml", 256 * 1024).lower()
    except BadFileError:
        raise
    except NotImplementedError:  # unknown compression method / zip version
        raise BadFileError("文件使用了不支持的压缩方式，请用 Excel/Word 重新保存") from None
    except Exception:  # BadZipFile, zlib.error, EOFError, OSError, ...
        raise BadFileError(
            "文件不是有效的 Office 文档（ZIP 结构损坏）：可能已损坏或被截断"
        ) from None
    lower = {n.lower() for n in names}
    if any(n.startswith("xl/") for n in lower):
        if "xl/vbaproject.bin" in lower or b"macroenabled" in ctypes:
            return "xlsm"
        if "xl/workbook.xml" in lower or b"spreadsheetml.sheet.main" in ctypes:
            return "xlsx"
    if any(n.startswith("word/") for n in lower):
        if "word/vbaproject.bin" in lower or b"macroenabled" in ctypes:
            return "docm"
        return "docx"
    raise BadFileError("ZIP 压缩包既不是 Excel 工作簿（.xlsx）也不是 Word 文档（.docx）")


def _read_member_head(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with zf.open(name) as fh:
        return fh.read(limit)


# --- text -------------------------------------------------------------------------

_BAD_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}
_ALLOWED_CONTROLS = set("\t\n\r\f\v")


def decode_text(data: bytes, name: str = "") -> str:
    """Decode a text export: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030.

    Raises :class:`BadFileError` when the bytes are not plausibly text.
    """
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        if b"\x00" in data:
            raise BadFileError("文件不是文本，也不是 Word/Excel 文档（二进制内容）")
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise BadFileError("文件不是可识别的文本（既非 UTF-8 也非 GB18030 编码）")
    bad = sum(
        1
        for ch in text
        if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in _BAD_CATEGORIES
    )
    if bad > max(2, len(text) // 1000):
        raise BadFileError("文件不是文本，也不是 Word/Excel 文档（二进制内容）")
    return text


def read_text(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> str:
    """Read and decode a text file within ``limits``."""
    p = Path(path)
    _check_size(p, limits)
    return decode_text(_read_bytes(p), p.name)


# --- zip containers ---------------------------------------------------------------

_XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<")
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def check_zip(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zip container that could hurt a parser. Call before opening it.

    Checks member count, declared sizes (per member and in total), compression
    ratios, encrypted members, and that no XML part declares a DOCTYPE or ENTITY.
    Worksheet parts are also counted for ``<c>`` elements (``limits.max_cells``).
    """
    p = Path(path)
    _check_size(p, limits)
    try:
        with zipfile.ZipFile(p) as zf:
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
                        f"文件内部部件过大（{info.filename}：{_size_text(size)}），"
                        "疑似压缩炸弹，已拒绝"
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
            cells = 0  # worksheet cells plus merged areas, over the whole file
            for info in infos:
                if info.is_dir():
                    continue
                # any XML part may be a worksheet: its path comes from the rels
                if _check_xml_prolog(zf, info):
                    cells += _scan_sheet(zf, info, limits)
                    if cells > limits.max_cells:
                        raise BadFileError(
                            f"工作表单元格过多（超过 {limits.max_cells} 个），不像是工作要点分解表"
                        )
    except BadFileError:
        raise
    except NotImplementedError as exc:  # unknown compression method / zip version
        raise BadFileError("文件使用了不支持的压缩方式，请用 Excel/Word 重新保存") from exc
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, OSError, ...
        raise BadFileError(
            "文件不是有效的 Office 文档（ZIP 结构损坏）：可能已损坏或被截断"
        ) from exc


def _check_xml_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Reject a DOCTYPE/ENTITY in an XML member (read only its beginning).

    Returns whether the member is XML at all.
    """
    with zf.open(info) as fh:
        head = fh.read(XML_PROLOG_BYTES)
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    elif head.startswith((b"<\x00", b"\x00<")):
        text = head.decode("utf-16-le" if head[0:1] == b"<" else "utf-16-be", errors="replace")
    elif _XML_START.match(head):
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    else:
        return False  # not XML (images, vbaProject.bin, ...)
    upper = text.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise BadFileError(
            f"文件内部 XML 含有 DOCTYPE/ENTITY 声明（{info.filename}），可能是恶意构造，已拒绝"
        )
    pos = 0
    while True:
        m = _PROLOG_ITEM.match(text, pos)
        if not m:
            break
        pos = m.end()
    rest = text[pos:]
    if rest.startswith("<") and not rest.startswith("<!"):
        return True  # the root element starts within the bounded head: no DTD possible
    raise BadFileError(f"文件内部 XML 开头异常（{info.filename}），可能是恶意构造，已拒绝")


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$")


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _ref_area(ref: str) -> int:
    m = _REF.match(ref.strip())
    if not m:
        raise BadFileError(f"工作表中合并单元格的区域无效（{ref[:40]}）")
    c1, r1 = _col_number(m.group(1)), int(m.group(2))
    c2, r2 = (_col_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)


def _scan_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> int:
    """Count a worksheet's cells (plus merged area) and rows by streaming its XML.

    openpyxl's normal mode builds an object for every ``<c>``, every ``<row>``
    and every cell covered by a merge ("A1:XFD1048576" would be 17 billion), so
    these are bounded before openpyxl sees the sheet. Returns the cell count.
    """
    from lxml import etree

    cells = rows = 0
    with zf.open(info) as fh:
        parser = etree.iterparse(
            fh,
            events=("end",),
            tag=("{*}c", "{*}row", "{*}mergeCell"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        try:
            for _event, el in parser:
                local = etree.QName(el).localname
                if local == "c":
                    cells += 1
                elif local == "row":
                    rows += 1
                    el.clear()
                    if rows > limits.max_rows:
                        raise BadFileError(
                            f"工作表行数过多（超过 {limits.max_rows} 行），不像是工作要点分解表"
                        )
                else:
                    cells += _ref_area(el.get("ref", ""))
                    el.clear()
                if cells > limits.max_cells:
                    raise BadFileError(
                        f"工作表单元格过多（超过 {limits.max_cells} 个），不像是工作要点分解表"
                    )
        except etree.XMLSyntaxError as exc:
            if info.filename.lower().endswith(".vml"):
                return cells  # legacy VML drawings are often not well-formed XML
            raise BadFileError(f"工作表 XML 格式错误（{info.filename}）：文件可能已损坏") from exc
    return cells


# --- XML hardening -------------------------------------------------------------------


def harden_xml() -> bool:
    """Verify openpyxl parses worksheets with defusedxml; raise RuntimeError otherwise.

    openpyxl switches to defusedxml by itself when it is installed (unless the
    environment variable ``OPENPYXL_DEFUSEDXML`` disables it). Call at start-up.
    """
    import openpyxl.xml
    import openpyxl.xml.functions as fn

    if openpyxl.xml.DEFUSEDXML is not True:
        raise RuntimeError(
            "openpyxl 未启用 defusedxml 防护（请安装 defusedxml，且不要设置 OPENPYXL_DEFUSEDXML=False）"
        )
    if not getattr(fn.iterparse, "__module__", "").startswith("defusedxml"):
        raise RuntimeError("openpyxl 的 iterparse 不是 defusedxml 版本")
    return True


# --- workbooks ----------------------------------------------------------------------


def open_workbook_values(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> Any:
    """Load a workbook for its values only, after :func:`check_zip`.

    Normal (not read-only) mode, because read-only mode loses merged cells;
    ``data_only=True`` gives cached formula results, ``keep_vba=False`` drops
    macros. openpyxl's warnings about unsupported extensions are silenced here
    (they concern formatting we do not read).
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_zip(path, limits)
    harden_xml()
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
            # a file object, not the name: openpyxl would judge by the extension
            with open(path, "rb") as fh:
                return load_workbook(
                    fh, read_only=False, data_only=True, keep_vba=False, keep_links=False
                )
    except BadFileError:
        raise
    except (InvalidFileException, zipfile.BadZipFile, KeyError) as exc:
        raise BadFileError("文件不是有效的 Excel 工作簿（.xlsx）：可能已损坏或被截断") from exc
    except Exception as exc:  # lxml / defusedxml / malformed parts
        raise BadFileError(
            f"文件不是有效的 Excel 工作簿（.xlsx）：内容无法解析（{type(exc).__name__}）"
        ) from exc
