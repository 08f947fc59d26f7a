"""One entry point for plan files, whatever their format: :func:`read_plan`.

The format is decided by content (:func:`~gxdesk.exchange.safety.sniff`), never
by the file name. Macro-enabled files (.xlsm/.docm) are REFUSED rather than
read as values: a clerk should not get used to opening macro files that came by
email, and the sender can always save a plain .xlsx/.docx.

Every problem with the input is a :class:`BadFileError` with a one-line Chinese
reason; no other exception escapes for bad input.
"""

from __future__ import annotations

import os
from pathlib import Path

from gxdesk.core.model import RawPlan
from gxdesk.exchange.plan_docx import read_plan_docx
from gxdesk.exchange.plan_table import HEADER_EXPECTED, match_header
from gxdesk.exchange.plan_text import read_plan_text
from gxdesk.exchange.plan_xlsx import read_plan_xlsx
from gxdesk.exchange.safety import DEFAULT_LIMITS, BadFileError, Limits, read_text, sniff

__all__ = ["HEADER_EXPECTED", "BadFileError", "Limits", "match_header", "read_plan"]

_NAMES = {"xlsx": "Excel 工作簿", "docx": "Word 文档", "text": "文本文件"}


def read_plan(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> RawPlan:
    """Read a plan table from a text export, a .docx or an .xlsx file."""
    p = Path(path)
    kind = sniff(p, limits)
    if kind in ("xlsm", "docm"):
        raise BadFileError(
            "文件含有宏（.xlsm/.docm），出于安全考虑不予导入，请另存为不含宏的 .xlsx/.docx"
        )
    try:
        if kind == "xlsx":
            return read_plan_xlsx(p, limits)
        if kind == "docx":
            return read_plan_docx(p, limits)
        return read_plan_text(read_text(p, limits), limits)
    except BadFileError:
        raise
    except MemoryError as exc:
        raise BadFileError("文件内容过大，内存不足，无法导入") from exc
    except Exception as exc:  # any parser failure on hostile input
        raise BadFileError(
            f"{_NAMES.get(kind, '文件')}内容无法解析，可能已损坏（{type(exc).__name__}）"
        ) from exc
