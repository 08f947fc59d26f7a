"""A real Excel binary workbook (.xlsb), built record by record.

LibreOffice cannot write .xlsb and no test file of one ships with the program's
dependencies, so this writes the smallest file Excel's format allows: the
package parts with their content types, and BIFF12 records (a variable-length
record type and size, then the payload) for the workbook and one sheet with a
text and a number cell. ``pyxlsb`` reads it back in the tests, which shows it is
a real .xlsb and not merely a zip with the right name.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>
<Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/>
<Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/>
</Relationships>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.bin"/>
</Relationships>"""


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def record(kind: int, payload: bytes = b"") -> bytes:
    return _varint(kind) + _varint(len(payload)) + payload


def wide(text: str) -> bytes:
    """XLWideString: a character count, then UTF-16LE."""
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def workbook_bin(sheet: str) -> bytes:
    return b"".join(
        [
            record(0x83),  # BrtBeginBook
            record(0x8F),  # BrtBeginBundleShs
            record(0x9C, struct.pack("<II", 0, 1) + wide("rId1") + wide(sheet)),  # BrtBundleSh
            record(0x90),  # BrtEndBundleShs
            record(0x84),  # BrtEndBook
        ]
    )


def shared_strings_bin(text: str) -> bytes:
    return b"".join(
        [
            record(0x9F, struct.pack("<II", 1, 1)),  # BrtBeginSst
            record(0x13, b"\x00" + wide(text)),  # BrtSSTItem: plain RichStr
            record(0xA0),  # BrtEndSst
        ]
    )


def sheet_bin(number: float) -> bytes:
    cell = struct.pack("<II", 0, 0)  # column 0, style 0
    return b"".join(
        [
            record(0x81),  # BrtBeginSheet
            record(0x94, struct.pack("<IIII", 0, 0, 0, 1)),  # BrtWsDim A1:B1
            record(0x91),  # BrtBeginSheetData
            record(0x00, struct.pack("<IIHHBBB", 0, 0, 300, 0, 0, 0, 0)),  # BrtRowHdr row 0
            record(0x07, cell + struct.pack("<I", 0)),  # BrtCellIsst: shared string 0
            record(0x05, struct.pack("<II", 1, 0) + struct.pack("<d", number)),  # BrtCellReal
            record(0x92),  # BrtEndSheetData
            record(0x82),  # BrtEndSheet
        ]
    )


def write_xlsb(path: Path, text: str = "工作任务", number: float = 80.0) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.bin", workbook_bin("进展"))
        zf.writestr("xl/_rels/workbook.bin.rels", WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.bin", sheet_bin(number))
        zf.writestr("xl/sharedStrings.bin", shared_strings_bin(text))
    return path
