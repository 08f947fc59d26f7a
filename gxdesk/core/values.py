"""Reading what clerks type into a returned workbook.

A cell arrives as whatever the spreadsheet reader produced (``str``, ``float``,
``int``, ``bool``, ``date``/``datetime`` or ``None``). Each reader returns the
value, ``None`` for an empty cell, or an :class:`Unreadable` carrying the reason
— a value that cannot be read is never replaced by a guess.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from gxdesk.core.model import Status
from gxdesk.core.text import fold_width


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A cell that could not be read; ``reason`` is a Chinese sentence for the clerk."""

    raw: str
    reason: str


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- text ---------------------------------------------------------------------------


def read_text(value: object) -> str:
    """Free text (进展情况, 佐证材料, …), kept verbatim; a number or date as written.

    Text that is only whitespace counts as empty. Numbers come back without a
    trailing ``.0`` (a phone number typed as a number stays ``13800138000``).
    A plain ``str`` (most cells) is settled first, without copying it: a merge
    reads about ten text cells for each of its rows.
    """
    if type(value) is str:
        return "" if value.isspace() else value
    if value is None:
        return ""
    if isinstance(value, str):
        return value if value.strip() else ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- dates --------------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 367, 2958465  # 1901-01-01 .. 9999-12-31
_FULL = re.compile(r"^(\d{4})\s*[./\-年]\s*(\d{1,2})\s*[./\-月]\s*(\d{1,2})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.0+)?$")


def _make_date(y: int, m: int, d: int, raw: str) -> dt.date | Unreadable:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return Unreadable(raw, f"“{raw}”不是有效的日期")


def read_date(value: object, *, year: int) -> dt.date | None | Unreadable:
    """A date as clerks type it; ``year`` (the plan year) completes ``9月30日``.

    Accepted: a real date cell, an Excel serial number, ``2014.9.30``,
    ``2014/9/30``, ``2014-9-30``, ``2014年9月30日``, ``20140930``, ``9月30日``,
    ``9.30``, full-width digits and stray spaces.
    """
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return Unreadable(_shown(value), "不是日期")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            if math.isfinite(value) and _SERIAL_MIN <= value <= _SERIAL_MAX:
                value = math.floor(value)  # a date with a time of day
            else:
                return Unreadable(_shown(value), f"“{_shown(value)}”不是日期")
        n = int(value)
        if _SERIAL_MIN <= n <= _SERIAL_MAX:
            return _EXCEL_EPOCH + dt.timedelta(days=n)
        if 19000101 <= n <= 99991231:
            return read_date(str(n), year=year)
        return Unreadable(_shown(value), f"“{_shown(value)}”不是日期")
    raw = str(value)
    text = fold_width(raw).strip().replace("。", ".").replace("．", ".")
    text = re.sub(r"\s+", "", text)
    m = _FULL.match(text)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), raw.strip())
    m = _COMPACT.match(text)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), raw.strip())
    m = _MONTH_DAY.match(text)
    if m:
        return _make_date(year, int(m.group(1)), int(m.group(2)), raw.strip())
    if _SERIAL_TEXT.match(text):
        return read_date(float(text), year=year)
    return Unreadable(raw.strip(), f"“{raw.strip()}”不是可识别的日期（应如 2014-09-30）")


# --- percent ------------------------------------------------------------------------

_PERCENT = re.compile(r"^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(%?)$")


def _percent_of(number: float, raw: str) -> int | Unreadable:
    if not math.isfinite(number) or number < 0 or number > 100:
        return Unreadable(raw, f"完成进度“{raw}”超出 0%–100%")
    return int(math.floor(number + 0.5))


def read_percent(value: object) -> int | None | Unreadable:
    """完成进度 as a whole percent 0–100.

    A number cell between 0 and 1 is a fraction (a cell formatted as a
    percentage holds 0.5 for 50%, and 1 for 100%); a larger number is already a
    percent. In text, ``50%`` and ``50`` are 50 and ``0.5`` is 50. Halves round up.
    """
    if _blank(value):
        return None
    if isinstance(value, bool | dt.date):
        return Unreadable(_shown(value), f"完成进度“{_shown(value)}”不是百分数")
    if isinstance(value, int | float):
        number = float(value)
        if 0 <= number <= 1:
            number *= 100
        return _percent_of(number, _shown(value))
    raw = str(value).strip()
    text = fold_width(raw).replace("％", "%")
    text = re.sub(r"\s+", "", text)
    m = _PERCENT.match(text)
    if not m:
        return Unreadable(raw, f"完成进度“{raw}”不是百分数（应如 50%）")
    number = float(m.group(1))
    if not m.group(2) and "." in m.group(1) and number <= 1:
        number *= 100
    return _percent_of(number, raw)


# --- status -------------------------------------------------------------------------

STATUS_SYNONYMS: dict[str, Status] = {
    "未启动": Status.NOT_STARTED,
    "未开始": Status.NOT_STARTED,
    "尚未启动": Status.NOT_STARTED,
    "尚未开始": Status.NOT_STARTED,
    "推进中": Status.IN_PROGRESS,
    "进行中": Status.IN_PROGRESS,
    "正在推进": Status.IN_PROGRESS,
    "正在进行": Status.IN_PROGRESS,
    "推进": Status.IN_PROGRESS,
    "已启动": Status.IN_PROGRESS,
    "已完成": Status.DONE,
    "完成": Status.DONE,
    "已办结": Status.DONE,
    "办结": Status.DONE,
    "已落实": Status.DONE,
    "长期推进": Status.ONGOING,
    "持续推进": Status.ONGOING,
    "长期": Status.ONGOING,
    "长期坚持": Status.ONGOING,
    "常态化推进": Status.ONGOING,
    "暂缓": Status.SUSPENDED,
    "暂停": Status.SUSPENDED,
    "暂缓推进": Status.SUSPENDED,
}

_STATUS_CHOICES = "、".join(s.value for s in Status)


def read_status(value: object) -> Status | None | Unreadable:
    """进展状态: one of the five words, or a known synonym, spaces ignored."""
    if _blank(value):
        return None
    raw = _shown(value).strip()
    key = re.sub(r"[\s\u3000]+", "", raw)
    found = STATUS_SYNONYMS.get(key)
    if found is None:
        return Unreadable(raw, f"进展状态“{raw}”无法识别（应为{_STATUS_CHOICES}之一）")
    return found
