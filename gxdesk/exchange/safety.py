"""Defences for files that arrive by email from other units.

Every plan or progress file is treated as hostile until proven otherwise:

* :func:`sniff` / :func:`sniff_bytes` decide what a file *is* from its bytes,
  never from its name;
* :func:`check_package` (on bytes) and :func:`check_zip` (on a path) apply
  every rule for an OOXML container before any parser opens it — sizes,
  compression ratios, member count, DOCTYPE/ENTITY declarations, and the cells
  of every worksheet (count, rows, no content beyond ``max_rows`` ×
  ``max_cols``, see :func:`check_sheet_xml`) — in one pass that decompresses
  each XML member once and hands the parts back (:class:`Package`);
* :func:`harden_xml` verifies at start-up that openpyxl parses with defusedxml;
* :func:`read_text` decodes a text export within the size limits;
* :func:`open_workbook_values` loads a checked workbook (values only, no VBA).

Every refusal is a :class:`BadFileError` carrying a one-line Chinese reason.

Note on declared sizes: members are read by :class:`_Member`, which never
inflates more than a member's declared ``file_size`` (and checks the CRC at the
end), so a member that lies about its size cannot expand beyond what
:func:`check_zip` accepted. (:mod:`zipfile` returns no more than that either, but
inflates up to 1 GiB in one call before cutting.)
"""

from __future__ import annotations

import io
import os
import re
import struct
import unicodedata
import warnings
import zipfile
import zlib
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


def size_text(n: int) -> str:
    """A byte count for a message: ``3.2 MB`` or ``512 字节``."""
    return f"{n / MB:.1f} MB" if n >= MB else f"{n} 字节"


def require_file(path: Path) -> None:
    """Refuse a path that is not there, or is a folder, saying which (one rule, every reader)."""
    if path.is_dir():
        raise BadFileError(f"这是文件夹，不是文件：{path.name}（请选择文件夹中的文件）")
    if not path.exists():
        raise BadFileError(f"文件不存在：{path.name}")


def _check_size(path: Path, limits: Limits) -> int:
    require_file(path)
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
            f"文件过大（{size_text(st.st_size)}），超过上限 {size_text(limits.max_file_bytes)}"
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
    return sniff_bytes(_read_bytes(p), p.name)


def sniff_bytes(data: bytes, name: str = "") -> str:
    """:func:`sniff` for a file already read (and size-checked) into memory."""
    if not data:
        raise BadFileError("文件为空（0 字节）")
    if data.startswith(OLE2_MAGIC[:4]):
        if data[:8] == OLE2_MAGIC and _ole_is_encrypted(data):
            raise BadFileError("文件设置了打开密码（加密的 Office 文档），请取消密码后另存再导入")
        raise BadFileError("旧版 .xls/.doc 格式不受支持，请另存为 .xlsx/.docx")
    if data.startswith(ZIP_MAGICS):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return _zip_kind(zf, data)
        except BadFileError:
            raise
        except NotImplementedError:  # unknown compression method / zip version
            raise BadFileError("文件使用了不支持的压缩方式，请用 Excel/Word 重新保存") from None
        except Exception:  # BadZipFile, zlib.error, EOFError, OSError, ...
            raise BadFileError(
                "文件不是有效的 Office 文档（ZIP 结构损坏）：可能已损坏或被截断"
            ) from None
    decode_text(data, name)  # raises for binary junk
    return "text"


def _ole_is_encrypted(data: bytes) -> bool:
    """An encrypted OOXML file is an OLE2 compound file with these streams."""
    names = ("EncryptionInfo", "EncryptedPackage")
    return any(n.encode("utf-16-le") in data for n in names)


XLSB_REFUSED = (
    "这是 Excel 二进制工作簿（.xlsb），不受支持：请在 Excel 或 WPS 中另存为 .xlsx（Excel 工作簿）"
)


def _zip_kind(zf: zipfile.ZipFile, data: bytes) -> str:
    """What the zip holds, from its names and ``[Content_Types].xml`` (``data`` is the zip)."""
    names = set(zf.namelist())
    if "[Content_Types].xml" not in names:
        raise BadFileError("ZIP 压缩包不是 Word/Excel 文档（缺少 [Content_Types].xml）")
    ctypes = _Member(data, zf.getinfo("[Content_Types].xml")).read(256 * 1024).lower()
    lower = {n.lower() for n in names}
    if any(n.startswith("xl/") for n in lower):
        # Before the macro test: an .xlsb's main part type also says "macroEnabled".
        if "xl/workbook.bin" in lower or b"sheet.binary" in ctypes:
            raise BadFileError(XLSB_REFUSED)
        if "xl/vbaproject.bin" in lower or b"macroenabled" in ctypes:
            return "xlsm"
        if "xl/workbook.xml" in lower or b"spreadsheetml.sheet.main" in ctypes:
            return "xlsx"
    if any(n.startswith("word/") for n in lower):
        if "word/vbaproject.bin" in lower or b"macroenabled" in ctypes:
            return "docm"
        return "docx"
    raise BadFileError("ZIP 压缩包既不是 Excel 工作簿（.xlsx）也不是 Word 文档（.docx）")


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
_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_XML_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii"}


@dataclass(frozen=True)
class Package:
    """An OOXML container that passed :func:`check_package`.

    ``kind`` is what :func:`sniff` would say; ``parts`` holds every XML member,
    decompressed once (UTF-16 parts re-encoded as UTF-8), so a reader can take
    small parts such as ``docProps/custom.xml`` from here instead of unzipping again.
    """

    kind: str
    parts: dict[str, bytes]


def check_zip(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> Package:
    """Refuse a file that could hurt a parser; call before opening it (see :func:`check_package`)."""
    p = Path(path)
    _check_size(p, limits)
    return check_package(_read_bytes(p), limits)


def check_package(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Package:
    """Every rule for an OOXML file held in memory; :class:`BadFileError` if one fails.

    1. the file: not empty, at most ``max_file_bytes``, a readable zip with
       ``[Content_Types].xml`` (else the reasons of :func:`sniff`);
    2. the members: at most ``max_members``, none encrypted, stored or deflated
       (the only methods Office writes), declared sizes within
       ``max_member_bytes`` and ``max_uncompressed_bytes`` together, compression
       ratio at most ``max_ratio`` (members under 1 MB excepted), and never
       inflated beyond the declared size (see :class:`_Member`);
    3. every XML member: no DOCTYPE/ENTITY declaration, root element within the
       first 64 KB, UTF-8 or UTF-16 only;
    4. every XML member that holds cells (whatever its name: the workbook's
       relationships decide what is a worksheet, so all are checked), by
       :func:`check_sheet_xml`: cell count (merged areas included) at most
       ``max_cells`` over the file, row count at most ``max_rows``, and no cell
       *with content* or merged area beyond ``max_rows`` × ``max_cols``.

    Rule 4 is what keeps a reader from allocating for a far-away cell: python-
    calamine builds a dense grid from A1 to the farthest cell holding a value
    (A1 plus ZZ1000000 measured 22 GB), openpyxl an object per cell and per
    merged cell. Empty cells, empty rows and the declared ``<dimension>`` do not
    count: neither reader allocates for them (measured), and files saved by
    Excel may carry them.

    This runs on every returned file of a merge and holds the GIL, so it is
    kept close to the cost of inflating the members (benchmarks/bench_safety.py).
    """
    if len(data) > limits.max_file_bytes:
        raise BadFileError(
            f"文件过大（{size_text(len(data))}），超过上限 {size_text(limits.max_file_bytes)}"
        )
    if not data.startswith(ZIP_MAGICS):
        sniff_bytes(data)  # the reason for an empty, old, encrypted or text file
        raise BadFileError("文件不是 Word/Excel 文档（不是 ZIP 格式的 Office 文件）")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            kind = _zip_kind(zf, data)
            infos = _check_members(zf, limits)
        parts: dict[str, bytes] = {}
        for info in infos:
            xml = None if info.is_dir() else _xml_part(data, info)
            if xml is not None:
                parts[info.filename] = xml
        # a cell takes at least 4 bytes (<c/>): small files need no counting
        count = sum(len(x) for x in parts.values()) // 4 > limits.max_cells
        cells = 0
        for xml in parts.values():
            cells += check_sheet_xml(xml, limits, cells_before=cells, count=count)
    except BadFileError:
        raise
    except NotImplementedError as exc:  # unknown compression method / zip version
        raise BadFileError("文件使用了不支持的压缩方式，请用 Excel/Word 重新保存") from exc
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, OSError, ...
        raise BadFileError(
            "文件不是有效的 Office 文档（ZIP 结构损坏）：可能已损坏或被截断"
        ) from exc
    return Package(kind, parts)


def _check_members(zf: zipfile.ZipFile, limits: Limits) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise BadFileError(f"压缩包内文件数过多（{len(infos)} 个，上限 {limits.max_members}）")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise BadFileError("文件内容经过加密，无法读取，请取消密码后另存再导入")
        size = info.file_size
        if size > limits.max_member_bytes:
            raise BadFileError(
                f"文件内部部件过大（{info.filename}：{size_text(size)}），疑似压缩炸弹，已拒绝"
            )
        total += size
        if total > limits.max_uncompressed_bytes:
            raise BadFileError(
                f"文件解压后总大小超过上限 {size_text(limits.max_uncompressed_bytes)}，"
                "疑似压缩炸弹，已拒绝"
            )
        if size > RATIO_FLOOR_BYTES and size > limits.max_ratio * max(info.compress_size, 1):
            raise BadFileError(
                f"文件内部部件压缩比异常（{info.filename}：{size_text(size)}），疑似压缩炸弹，已拒绝"
            )
    return infos


#: zipfile's local file header (``structFileHeader``): signature, versions,
#: flags, method, time, date, CRC, sizes, name length, extra length.
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_MAGIC = b"PK\x03\x04"
_FLAG_ENCRYPTED = 0x1
_FLAGS_UNSUPPORTED = 0x20 | 0x40  # compressed patched data, strong encryption
_FLAG_UTF8_NAME = 0x800
#: Bytes inflated per zlib call (see :meth:`_Member.read_chunks`).
_INFLATE_STEP = 32 * 1024


class _Member:
    """One member of a zip held in memory, read the way ``ZipFile.open`` reads it, bounded.

    ``ZipFile.open`` costs a file object, a header re-read and buffers per
    member; this reads the member straight from the bytes, with the same checks
    (local header magic, name equal to the central directory's, no encryption,
    CRC once the member has been read to its end). Only the two methods Office
    writes are accepted, stored and deflated; anything else (bzip2, LZMA, ...)
    is refused as :exc:`NotImplementedError`, since zipfile inflates those
    without any bound. Inflation never produces more than the declared
    ``file_size`` (zipfile cuts to that size too, but only after inflating up to
    1 GiB in one call), so a member lying about its size cannot expand beyond
    what :func:`_check_members` accepted.
    """

    __slots__ = ("_info", "_raw", "_inflater", "_done", "_crc")

    def __init__(self, data: bytes, info: zipfile.ZipInfo) -> None:
        if info.flag_bits & _FLAG_ENCRYPTED:
            raise BadFileError("文件内容经过加密，无法读取，请取消密码后另存再导入")
        if info.flag_bits & _FLAGS_UNSUPPORTED or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise NotImplementedError(f"compression method {info.compress_type}")
        offset = info.header_offset
        header = data[offset : offset + _LOCAL_HEADER.size]
        if len(header) != _LOCAL_HEADER.size:
            raise zipfile.BadZipFile("Truncated file header")
        fields = _LOCAL_HEADER.unpack(header)
        if fields[0] != _LOCAL_MAGIC:
            raise zipfile.BadZipFile("Bad magic number for file header")
        start = offset + _LOCAL_HEADER.size
        name = data[start : start + fields[10]]
        if name.decode("utf-8" if fields[3] & _FLAG_UTF8_NAME else "cp437") != info.orig_filename:
            raise zipfile.BadZipFile("File name in directory and header differ")
        start += fields[10] + fields[11]
        self._raw = data[start : start + info.compress_size]
        if len(self._raw) != info.compress_size:
            raise EOFError("member data truncated")
        self._info = info
        self._inflater = (
            zlib.decompressobj(-zlib.MAX_WBITS)
            if info.compress_type == zipfile.ZIP_DEFLATED
            else None
        )
        self._done = 0  # bytes handed out so far
        self._crc = 0

    def read(self, n: int) -> bytes:
        """The next ``n`` bytes at most (fewer at the end); checks the CRC on reaching the end."""
        chunks = self.read_chunks(n)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def read_chunks(self, n: int) -> list[bytes]:
        """:meth:`read` in pieces, for a caller that joins them with more."""
        info = self._info
        n = min(n, info.file_size - self._done)
        if self._inflater is None:
            chunks = [self._raw[self._done : self._done + max(n, 0)]]
            got = len(chunks[0])
            ended = self._done + got >= min(info.file_size, len(self._raw))
        else:
            inflater, chunks, got, ended = self._inflater, [], 0, n <= 0
            while got < n:
                # At most _INFLATE_STEP per call (never 0: zlib reads that as "no
                # limit"): asked for a whole large part at once, zlib grows its
                # output in blocks and joins them; in steps the same buffers are
                # reused, which measured faster when parts come and go (a merge).
                want = min(n - got, _INFLATE_STEP)
                chunk = inflater.decompress(self._raw, want)
                self._raw = inflater.unconsumed_tail  # the input still to inflate
                chunks.append(chunk)
                got += len(chunk)
                # the stream ended, or all input is used and zlib stopped short
                if inflater.eof or (not self._raw and len(chunk) < want):
                    ended = True
                    break
        self._done += got
        for chunk in chunks:
            self._crc = zlib.crc32(chunk, self._crc)
        if (ended or self._done >= info.file_size) and self._crc != info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
        return chunks


def _xml_part(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The member's bytes if it is XML (prolog checked, UTF-8), None if it is not XML.

    Only the first ``XML_PROLOG_BYTES`` are inflated to decide; a non-XML member
    (images, ``vbaProject.bin``) is never decompressed further.
    """
    member = _Member(data, info)
    head = member.read(XML_PROLOG_BYTES)
    if not head:
        return None
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"))
    if not utf16 and not _XML_START.match(head):
        return None  # not XML (images, vbaProject.bin, ...)
    if len(head) == XML_PROLOG_BYTES:  # perhaps more
        xml = b"".join([head, *member.read_chunks(info.file_size)])
    else:
        xml = head
    if utf16:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            encoding = "utf-16"
        else:
            encoding = "utf-16-le" if head[0:1] == b"<" else "utf-16-be"
        text = xml.decode(encoding, errors="replace")
        _check_prolog(text[: XML_PROLOG_BYTES // 2], info.filename, utf16=True)
        return text.encode("utf-8")
    _check_prolog(head.decode("utf-8", errors="replace").lstrip("\ufeff"), info.filename)
    return xml


def _check_prolog(text: str, name: str, *, utf16: bool = False) -> None:
    # "<!" is ASCII and no character upper-cases into it: without it there is
    # nothing to look for, and upper-casing 64 KB of every part is spared; and
    # without a "!" (one memchr) there is no "<!" (a slower two-character search)
    if "!" in text and "<!" in text and _declares(text):
        raise BadFileError(
            f"文件内部 XML 含有 DOCTYPE/ENTITY 声明（{name}），可能是恶意构造，已拒绝"
        )
    m = _ENCODING.match(text)
    if m and m.group(1).strip().lower() not in _XML_ENCODINGS:
        raise BadFileError(f"文件内部 XML 使用了不支持的编码（{name}：{m.group(1)[:20]}），已拒绝")
    pos = 0
    while True:
        m = _PROLOG_ITEM.match(text, pos)
        if not m:
            break
        pos = m.end()
    if text.startswith("<", pos) and not text.startswith("<!", pos):
        return  # the root element starts within the bounded head: no DTD possible
    raise BadFileError(f"文件内部 XML 开头异常（{name}），可能是恶意构造，已拒绝")


def _declares(text: str) -> bool:
    """Whether ``text`` holds a DOCTYPE or ENTITY declaration, in any letter case."""
    upper = text.upper()
    return "<!DOCTYPE" in upper or "<!ENTITY" in upper


# --- worksheet bounds -----------------------------------------------------------------

_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"
_ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*)"""
# start and end tags of the elements that place cells, in document order
_TAG = re.compile(rb"<(/?)" + _NAME + rb"(c|row|v|is|f|mergeCell)(?=[\s/>])" + _ATTRS + rb">")
# An attribute starts after whitespace or right after the quote closing the one
# before: python-calamine's parser reads <c r="A1"r="ZZ9"> as two r attributes
# (and takes the last, measured), so the walk must see both.
_ATTR = re.compile(rb"""(?<![^\s"'])(r|ref)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_UNQUOTED = re.compile(rb"""(?<![^\s"'])(?:r|ref)\s*=\s*[^"'\s]""")
_ADDRESS = re.compile(rb"^\s*\$?([A-Za-z]{1,3})?\$?(\d{1,9})?\s*$")
_MERGE = re.compile(rb"<mergeCell(?=[\s/>])" + _ATTRS + rb">")
# a prefixed element that places cells (<x:c>, <x:row>, <x:mergeCell>) holds one of these
_PREFIXED = re.compile(rb":(?:c|row|mergeCell)[\s/>]")
#: A regex pass over this many bytes costs about as much as looking at one colon
#: found by memchr: colons are looked at one by one up to size / this, then one pass.
_BYTES_PER_COLON = 2048
#: The shortest cell start tag the canonical form allows, ``<c r="A1">``: cells never overlap.
_CANONICAL_CELL_BYTES = 10
# What may follow the address in a canonical start tag, up to its end. Every
# attribute is spelled out (one space, a name not starting with r, "=", a
# double-quoted value): the tag's end is then known whatever its values hold
# (python-calamine's parser accepts ">" and "<" in them), and no second r
# attribute can hide in it. Cells try the usual s= and t= first, one flat
# choice (the cheapest spelling measured), then any such attributes (cm=, vm=,
# ph=, another order); rows take any such attributes (spans, ht, x14ac:...).
_ANY_ATTRIBUTES = rb"""(?: [a-qs-zA-Z][\w:.-]*="[^"]*+")*+/?>"""
_CELL_REST = (
    rb"""(?: s="[^"]*+" t="[^"]*+"/?>| s="[^"]*+"/?>| t="[^"]*+"/?>|/?>|"""
    + _ANY_ATTRIBUTES
    + rb")"
)
_ROW_REST = _ANY_ATTRIBUTES
_CANONICAL_CACHE: dict[tuple[int, int], tuple[re.Pattern[bytes], re.Pattern[bytes]] | None] = {}


def _canonical_patterns(limits: Limits) -> tuple[re.Pattern[bytes], re.Pattern[bytes]] | None:
    """Find the first tag that is not in canonical form (with and without merges), or None.

    Canonical: every unprefixed ``<c`` and ``<row`` start tag is
    ``<c r="P203" s="5" t="inlineStr">`` or ``<row r="203" ht="30" …>`` to the
    letter — `` r="`` first, an address with fewer letters than the widest
    allowed column and fewer digits than the highest allowed row, then only
    attributes spelled out as :data:`_ANY_ATTRIBUTES` says. Such a cell lies
    within the limits by its only address, wherever it is. The first pattern
    also stops at ``<mergeCell``, the second does not. None when the limits are
    so small that no address is short (then every part is walked).

    Both start with the literal ``<`` (``re`` jumps between literals quickly);
    a canonical tag costs one failed look-ahead.
    """
    key = (limits.max_rows, limits.max_cols)
    if key not in _CANONICAL_CACHE:
        letters = len(column_letters(max(limits.max_cols, 1))) - 1
        digits = len(str(max(limits.max_rows, 1))) - 1
        if letters < 1 or digits < 1:
            _CANONICAL_CACHE[key] = None
        else:
            column = rb"[A-Za-z]" if letters == 1 else rb"[A-Za-z]{1,%d}" % letters
            cell = rb'c(?! r="%s\d{1,%d}"%s)(?=[\s/>])' % (column, digits, _CELL_REST)
            row = rb'row(?! r="\d{1,%d}"%s)(?=[\s/>])' % (digits, _ROW_REST)
            merge = rb"mergeCell(?=[\s/>])"
            _CANONICAL_CACHE[key] = (
                re.compile(rb"<(?:" + cell + rb"|" + row + rb"|" + merge + rb")"),
                re.compile(rb"<(?:" + cell + rb"|" + row + rb")"),
            )
    return _CANONICAL_CACHE[key]


def _has_prefixed_tag(xml: bytes) -> bool:
    """Whether ``xml`` may hold a prefixed ``c``, ``row`` or ``mergeCell`` element.

    Any ``<x:c …>`` holds ``:c`` and a delimiter. A worksheet has few colons
    (the namespace URLs), each found by memchr; a part full of them (a theme,
    times in text) takes one regex pass instead, as does a small part (where
    the pass costs less than a few colons looked at one by one).
    """
    find = xml.find
    pos = find(b":")
    for _ in range(len(xml) // _BYTES_PER_COLON):
        if pos < 0:
            return False
        if _PREFIXED.match(xml, pos):
            return True
        pos = find(b":", pos + 1)
    return pos >= 0 and _PREFIXED.search(xml, pos) is not None


def column_letters(number: int) -> str:
    """1-based column number → ``A`` … ``XFD``."""
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str | bytes) -> int:
    """``A`` … ``XFD`` (any case) → 1-based column number."""
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.upper().decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def _too_many_cells(limits: Limits) -> BadFileError:
    return BadFileError(f"工作表单元格过多（超过 {limits.max_cells} 个），文件内容异常")


def _too_far(limits: Limits) -> BadFileError:
    return BadFileError(
        f"工作表范围过大（有内容的单元格超过 {limits.max_rows} 行或 {limits.max_cols} 列），"
        "文件内容异常，已拒绝"
    )


def check_sheet_xml(
    xml: bytes, limits: Limits = DEFAULT_LIMITS, *, cells_before: int = 0, count: bool = True
) -> int:
    """Bound one XML part that may be a worksheet; returns the cells (and merged area) it holds.

    ``cells_before`` is what earlier parts of the same file already hold (the
    cell limit is for the whole file). With ``count=False`` the result is only
    an upper bound (the caller knows the file is too small to exceed the limit).

    The usual part is in canonical form (see :func:`_canonical_patterns`): no
    prefixed cell elements (:func:`_has_prefixed_tag`, memchr), and one regex
    pass that finds no tag out of that form. Then every cell lies within the
    limits by its only address — no cell relies on its neighbour or its row for
    its place, and no second ``r`` hides in its tag (python-calamine takes the
    last) — and distinct rows are fewer than ``max_rows`` (as are the rows
    openpyxl keeps: by number); merges are measured exactly. Anything else takes
    :func:`_walk_sheet`, which places every cell as a reader would. The fast
    path accepts only what the walk accepts (tests/test_safety.py checks this
    on generated sheets), at about a fortieth of its cost (measured).
    """
    patterns = _canonical_patterns(limits)
    if patterns is None or _has_prefixed_tag(xml):
        return _walk_sheet(xml, limits, cells_before)
    unusual, unusual_besides_merges = patterns
    area = 0
    m = unusual.search(xml)
    if m is not None:
        if not xml.startswith(b"<mergeCell", m.start()):
            return _walk_sheet(xml, limits, cells_before)
        if unusual_besides_merges.search(xml, m.end()) is not None:
            return _walk_sheet(xml, limits, cells_before)
        area = _merged_area(xml, limits, m.start())
        if cells_before + area > limits.max_cells:
            raise _too_many_cells(limits)
    if not count:
        return len(xml) // _CANONICAL_CELL_BYTES + area
    # every cell tag is "<c r=…" here: this counts them all (and perhaps a few more)
    cells = area + xml.count(b"<c ")
    if cells_before + cells > limits.max_cells:
        raise _too_many_cells(limits)
    return cells


def _merged_area(xml: bytes, limits: Limits, start: int = 0) -> int:
    """Cells covered by the ``<mergeCell ref=…>`` from ``start`` on; refuses one beyond the limits."""
    area = 0
    for attrs in _MERGE.findall(xml, start):
        area += _merge_area(_addresses(attrs).get(b"ref", b""), limits)
        if area > limits.max_cells:
            raise _too_many_cells(limits)
    return area


def _merge_area(ref: bytes, limits: Limits) -> int:
    first, _, last = ref.partition(b":")
    r1, c1 = _address(first, limits)
    r2, c2 = _address(last, limits) if last else (r1, c1)
    if r1 is None or c1 is None or r2 is None or c2 is None:
        raise BadFileError(f"工作表中合并单元格的区域无效（{ref[:40].decode('latin-1')}）")
    area = (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
    if area > limits.max_cells:
        raise _too_many_cells(limits)
    if max(r1, r2) > limits.max_rows or max(c1, c2) > limits.max_cols:
        raise _too_far(limits)
    return area


def _address(value: bytes, limits: Limits) -> tuple[int | None, int | None]:
    if b"&" in value:
        raise BadFileError("工作表中的单元格地址含有转义字符，文件内容异常，已拒绝")
    m = _ADDRESS.match(value)
    if not m:
        raise BadFileError(f"工作表中的单元格地址无效（{value[:20].decode('latin-1')}）")
    col = column_number(m.group(1)) if m.group(1) else None
    row = int(m.group(2)) if m.group(2) else None
    return row, col


def _addresses(attrs: bytes) -> dict[bytes, bytes]:
    """The ``r`` and ``ref`` attributes of a tag; refuses them repeated or unquoted."""
    pairs = _ATTR.findall(attrs)
    found = {a: v1 or v2 for a, v1, v2 in pairs}
    if len(pairs) != len(found) or _UNQUOTED.search(attrs):
        raise BadFileError("工作表中的单元格地址属性异常，文件内容异常，已拒绝")
    return found


def _walk_sheet(xml: bytes, limits: Limits, cells_before: int) -> int:
    """Place every cell the way a reader does (explicit ``r``, else next to the previous one)."""
    cells, rows, row, col = cells_before, 0, 0, 0
    open_cell: tuple[int, int] | None = None
    max_rows, max_cols = limits.max_rows, limits.max_cols
    for m in _TAG.finditer(xml):
        closing, tag, attrs = m.group(1), m.group(2), m.group(3)
        if closing:
            if tag == b"c":
                open_cell = None
            continue
        found = _addresses(attrs)
        empty = attrs.rstrip().endswith(b"/")
        if tag == b"row":
            rows += 1
            if rows > max_rows:
                raise BadFileError(f"工作表行数过多（超过 {max_rows} 行），文件内容异常")
            r = _address(found[b"r"], limits)[0] if b"r" in found else None
            row, col = (r if r is not None else row + 1), 0
        elif tag == b"c":
            cells += 1
            if cells > limits.max_cells:
                raise _too_many_cells(limits)
            r, c = _address(found[b"r"], limits) if b"r" in found else (None, None)
            row = r if r is not None else max(row, 1)
            col = c if c is not None else col + 1
            open_cell = None if empty else (row, col)
        elif tag == b"mergeCell":
            cells += _merge_area(found.get(b"ref", b""), limits)
            if cells > limits.max_cells:
                raise _too_many_cells(limits)
        elif open_cell is not None:  # <v>, <is> or <f>: the cell holds something
            if open_cell[0] > max_rows or open_cell[1] > max_cols:
                raise _too_far(limits)
            open_cell = None
    return cells - cells_before


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
